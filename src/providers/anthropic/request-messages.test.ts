/** Request building: messages, content blocks, tools (every body is also checked against the spec). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { build, testTarget } from '../../../test/support/providers/anthropic/test-helpers.ts';
import type { Message } from '../../core/types.ts';

const user = (text: string): Message => ({ role: 'user', parts: [{ type: 'text', text }] });
const assistant = (text: string): Message => ({ role: 'assistant', parts: [{ type: 'text', text }] });
const toolResult = (id: string, content: string): Message => ({
  role: 'tool',
  parts: [{ type: 'tool-result', toolCallId: id, content }],
});
const call = (id: string, name: string, args: string) => ({ type: 'tool-call' as const, id, name, arguments: args });
const drop = testTarget('claude-sonnet-4-5', { capabilities: { dropUnsupported: true } });

describe('messages', () => {
  test('system and developer messages → system blocks in order, cache_control kept', () => {
    const { body } = build({
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'Be brief.', cache: { type: 'ephemeral' } }] },
        user('Hi'),
        { role: 'developer', parts: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'system', parts: [{ type: 'text', text: '' }] },
      ],
    });
    assert.deepEqual(body.system, [
      { type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'Answer in French.' },
    ]);
    assert.deepEqual(body.messages, [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  test('consecutive same-role messages are merged into one turn', () => {
    const { body } = build({ messages: [user('a'), user('b'), assistant('c'), assistant('d'), user('e')] });
    assert.deepEqual(
      body.messages.map((m) => [m.role, m.content.map((b) => b.text)]),
      [
        ['user', ['a', 'b']],
        ['assistant', ['c', 'd']],
        ['user', ['e']],
      ],
    );
  });

  test('assistant tool_calls → tool_use (arguments parsed, "" → {}); tool messages → one user turn of tool_result blocks first', () => {
    const { body } = build({
      messages: [
        user('weather?'),
        {
          role: 'assistant',
          parts: [
            { type: 'text', text: 'Checking.' },
            call('call_1', 'weather', '{"city":"Paris"}'),
            call('call_2', 'clock', ''),
          ],
        },
        toolResult('call_1', 'sunny'),
        toolResult('call_2', '12:00'),
        user('thanks'),
      ],
    });
    assert.deepEqual(body.messages[1], {
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_2', name: 'clock', input: {} },
      ],
    });
    assert.deepEqual(body.messages[2], {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: 'sunny' },
        { type: 'tool_result', tool_use_id: 'call_2', content: '12:00' },
        { type: 'text', text: 'thanks' },
      ],
    });
    assert.equal(body.messages.length, 3);
  });

  test('a user message between tool_use and its results still gets the tool_result blocks first', () => {
    const { body } = build({
      messages: [
        user('go'),
        { role: 'assistant', parts: [call('t1', 'f', '{}')] },
        user('also this'),
        toolResult('t1', 'done'),
      ],
    });
    assert.deepEqual(
      body.messages[2]?.content.map((block) => block.type),
      ['tool_result', 'text'],
    );
  });

  test('tool results as arrays of parts (text + image), is_error, cache_control', () => {
    const { body } = build({
      messages: [
        user('look'),
        { role: 'assistant', parts: [call('t1', 'shot', '{}')] },
        {
          role: 'tool',
          parts: [
            {
              type: 'tool-result',
              toolCallId: 't1',
              content: [
                { type: 'text', text: 'screenshot:' },
                { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
                { type: 'text', text: '' },
              ],
              isError: true,
              cache: { type: 'ephemeral', ttl: '1h' },
            },
          ],
        },
      ],
    });
    assert.deepEqual(body.messages[2]?.content[0], {
      type: 'tool_result',
      tool_use_id: 't1',
      content: [
        { type: 'text', text: 'screenshot:' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      ],
      is_error: true,
      cache_control: { type: 'ephemeral', ttl: '1h' },
    });
  });

  test('invalid tool-call arguments → 400 naming the field', () => {
    assert.throws(
      () =>
        build({
          messages: [
            user('x'),
            { role: 'assistant', parts: [call('a', 'f', '{}'), call('b', 'g', '{oops')] },
            toolResult('a', '1'),
          ],
        }),
      { code: 'invalid_request', param: 'messages[1].tool_calls[1].function.arguments' },
    );
  });

  test('tool ids from other providers are made to fit ^[a-zA-Z0-9_-]+$ on both sides', () => {
    const { body } = build({
      messages: [user('x'), { role: 'assistant', parts: [call('call:1/a', 'f', '{}')] }, toolResult('call:1/a', 'ok')],
    });
    assert.equal(body.messages[1]?.content[0]?.id, 'call_1_a');
    assert.equal(body.messages[2]?.content[0]?.tool_use_id, 'call_1_a');
  });

  test('empty assistant text skipped; a final assistant prefill loses trailing whitespace', () => {
    const { body } = build({ messages: [user('a'), assistant(''), user('b'), assistant('The answer is ')] });
    assert.deepEqual(
      body.messages.map((m) => [m.role, m.content.map((b) => b.text)]),
      [
        ['user', ['a', 'b']],
        ['assistant', ['The answer is']],
      ],
    );
  });

  test('thinking blocks with signatures and redacted thinking are carried back first; unsigned reasoning is not', () => {
    const { body, warnings } = build({
      messages: [
        user('q'),
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'let me think', signature: 'sig-1' },
            { type: 'reasoning', text: '', redactedData: 'opaque' },
            { type: 'text', text: 'Calling.' },
            call('toolu_1', 'f', '{"x":1}'),
          ],
        },
        toolResult('toolu_1', '42'),
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'unsigned thoughts' },
            { type: 'text', text: 'Done.' },
          ],
        },
        user('ok'),
      ],
    });
    assert.deepEqual(body.messages[1]?.content, [
      { type: 'thinking', thinking: 'let me think', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'Calling.' },
      { type: 'tool_use', id: 'toolu_1', name: 'f', input: { x: 1 } },
    ]);
    assert.deepEqual(body.messages[3]?.content, [{ type: 'text', text: 'Done.' }]);
    assert.ok(
      warnings.some((w) => w.includes('without a signature')),
      "warnings.some((w) => w.includes('without a signature'))",
    );
  });

  test('an assistant refusal is sent back as its text', () => {
    const { body } = build({
      messages: [user('x'), { role: 'assistant', parts: [], refusal: 'I cannot help.' }, user('why')],
    });
    assert.deepEqual(body.messages[1]?.content, [{ type: 'text', text: 'I cannot help.' }]);
  });

  test('no user/assistant message at all → 400', () => {
    assert.throws(() => build({ messages: [{ role: 'system', parts: [{ type: 'text', text: 's' }] }] }), {
      code: 'invalid_request',
      param: 'messages',
    });
  });
});

describe('content blocks', () => {
  test('images: data URL → base64 source, http(s) URL → url source, cache_control kept', () => {
    const { body } = build({
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', data: '/9j/4AAQ', mediaType: 'image/jpeg', detail: 'high' },
            { type: 'image', url: 'https://example.com/cat.png', cache: { type: 'ephemeral' } },
          ],
        },
      ],
    });
    assert.deepEqual(body.messages[0]?.content.slice(1), [
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
      {
        type: 'image',
        source: { type: 'url', url: 'https://example.com/cat.png' },
        cache_control: { type: 'ephemeral' },
      },
    ]);
  });

  test('files: PDF data → document, PDF URL → url document, text/plain → text source, file id → files beta header', () => {
    const { body, headers } = build({
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'file', data: 'JVBERi0x', mediaType: 'application/pdf', filename: 'a.pdf' },
            { type: 'file', url: 'https://example.com/b.pdf' },
            { type: 'file', data: Buffer.from('plain words').toString('base64'), mediaType: 'text/plain' },
            { type: 'file', fileId: 'file_011abc' },
            { type: 'text', text: 'Summarize.' },
          ],
        },
      ],
    });
    assert.deepEqual(body.messages[0]?.content.slice(0, 4), [
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0x' }, title: 'a.pdf' },
      { type: 'document', source: { type: 'url', url: 'https://example.com/b.pdf' } },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain words' } },
      { type: 'document', source: { type: 'file', file_id: 'file_011abc' } },
    ]);
    assert.equal(headers['anthropic-beta'], 'files-api-2025-04-14');
  });

  test('audio and unreadable file types → 400 naming the message, or dropped with a warning', () => {
    const audio: Message = {
      role: 'user',
      parts: [
        { type: 'text', text: 'hi' },
        { type: 'audio', data: 'AAA', format: 'wav' },
      ],
    };
    assert.throws(() => build({ messages: [audio] }), {
      code: 'unsupported_parameter',
      param: 'messages[0].content',
      status: 400,
    });
    const dropped = build({ messages: [audio] }, drop);
    assert.deepEqual(dropped.body.messages[0]?.content, [{ type: 'text', text: 'hi' }]);
    assert.ok(
      dropped.warnings.some((w) => w.startsWith('messages[0].content dropped')),
      "dropped.warnings.some((w) => w.startsWith('messages[0].content dro...",
    );
    const zip: Message = {
      role: 'user',
      parts: [
        { type: 'file', data: 'UEs=', mediaType: 'application/zip' },
        { type: 'text', text: 'x' },
      ],
    };
    assert.throws(() => build({ messages: [zip] }), { code: 'unsupported_parameter' });
  });
});
