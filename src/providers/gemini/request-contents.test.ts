/** OpenAI messages → Gemini systemInstruction/contents, field by field (built from real OpenAI bodies). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBody } from '../../../test/support/providers/gemini/test-helpers.ts';
import { GatewayError } from '../../core/errors.ts';
import type { OpenAIMessage } from '../../protocols/openai-chat.ts';
import type { DeploymentTarget } from '../types.ts';

const contentsOf = (messages: OpenAIMessage[], target: Partial<DeploymentTarget> = {}) =>
  buildBody({ messages }, target);
const call = (id: string, name: string, args: string, signature?: string) => ({
  id,
  type: 'function' as const,
  function: { name, arguments: args },
  ...(signature ? { signature } : {}),
});

describe('Gemini request: messages', () => {
  it('system and developer messages become systemInstruction parts, all of them, in order', () => {
    const { body, warnings } = contentsOf([
      { role: 'system', content: 'You are terse.' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Late rule.' },
    ]);
    assert.deepEqual(body.systemInstruction, {
      parts: [{ text: 'You are terse.' }, { text: 'Answer in French.' }, { text: 'Late rule.' }],
    });
    assert.deepEqual(body.contents, [{ role: 'user', parts: [{ text: 'Hi' }] }]);
    assert.deepEqual(warnings, ['messages[3]: system message moved to systemInstruction']);
  });

  it('roles map to user/model and consecutive same-role turns are merged so roles alternate', () => {
    const { body } = contentsOf([
      { role: 'user', content: 'a' },
      { role: 'user', content: [{ type: 'text', text: 'b' }] },
      { role: 'assistant', content: 'c' },
      { role: 'assistant', content: 'd' },
      { role: 'user', content: 'e' },
    ]);
    assert.deepEqual(body.contents, [
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
      { role: 'model', parts: [{ text: 'c' }, { text: 'd' }] },
      { role: 'user', parts: [{ text: 'e' }] },
    ]);
  });

  it('empty assistant turns are dropped and the neighbours merged', () => {
    const { body } = contentsOf([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'b' },
    ]);
    assert.deepEqual(body.contents, [{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }]);
  });

  it('tool calls → functionCall (args parsed, no-argument calls, ids), tool results → functionResponse named after the call', () => {
    const { body } = contentsOf([
      { role: 'user', content: 'weather and time?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          call('call_1', 'weather', '{"city":"Paris"}'),
          call('call_2', 'now', ''),
          call('call_3', 'noop', '{}'),
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' },
      { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
      { role: 'tool', tool_call_id: 'call_3', content: '42' },
      { role: 'user', content: 'thanks' },
    ]);
    assert.deepEqual(body.contents, [
      { role: 'user', parts: [{ text: 'weather and time?' }] },
      {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          { functionCall: { id: 'call_1', name: 'weather', args: { city: 'Paris' } } },
          { functionCall: { id: 'call_2', name: 'now', args: {} } },
          { functionCall: { id: 'call_3', name: 'noop', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'call_1', name: 'weather', response: { temp: 21 } } },
          { functionResponse: { id: 'call_2', name: 'now', response: { output: '12:00' } } },
          { functionResponse: { id: 'call_3', name: 'noop', response: { output: 42 } } },
          { text: 'thanks' },
        ],
      },
    ]);
  });

  it('a tool message whose call id matches no assistant tool call is a 400 naming the field', () => {
    assert.throws(
      () =>
        contentsOf([
          { role: 'user', content: 'x' },
          { role: 'tool', tool_call_id: 'nope', content: 'r' },
        ]),
      (error: unknown) =>
        error instanceof GatewayError && error.status === 400 && error.param === 'messages[1].tool_call_id',
    );
  });

  it('arguments that are not JSON are a 400 naming the field', () => {
    assert.throws(
      () =>
        contentsOf([
          { role: 'user', content: 'x' },
          { role: 'assistant', content: null, tool_calls: [call('c', 'f', '{oops')] },
        ]),
      (error: unknown) =>
        error instanceof GatewayError && error.param === 'messages[1].tool_calls[0].function.arguments',
    );
  });

  it('thoughtSignature is carried back on function calls; Gemini 3 gets the documented sentinel when it was lost', () => {
    const messages: OpenAIMessage[] = [
      { role: 'user', content: 'x' },
      { role: 'assistant', content: null, tool_calls: [call('c1', 'f', '{}', 'SIG1'), call('c2', 'f', '{}')] },
      { role: 'tool', tool_call_id: 'c1', content: 'a' },
      { role: 'tool', tool_call_id: 'c2', content: 'b' },
      { role: 'assistant', content: null, tool_calls: [call('c3', 'f', '{}'), call('c4', 'f', '{}')] },
      { role: 'tool', tool_call_id: 'c3', content: 'a' },
      { role: 'tool', tool_call_id: 'c4', content: 'b' },
    ];
    const gemini3 = contentsOf(messages, { model: 'gemini-3-pro-preview' });
    const model = (gemini3.body.contents as Array<{ role: string; parts: Array<Record<string, unknown>> }>).filter(
      (c) => c.role === 'model',
    );
    assert.deepEqual(
      model[0]?.parts.map((part) => part.thoughtSignature),
      ['SIG1', undefined],
    );
    assert.deepEqual(
      model[1]?.parts.map((part) => part.thoughtSignature),
      ['skip_thought_signature_validator', undefined],
    );
    assert.deepEqual(gemini3.warnings, [
      'messages[4]: function call replayed without its thoughtSignature; sent skip_thought_signature_validator',
    ]);
    const gemini25 = contentsOf(messages, { model: 'gemini-2.5-flash' });
    const model25 = (gemini25.body.contents as Array<{ role: string; parts: Array<Record<string, unknown>> }>).filter(
      (c) => c.role === 'model',
    );
    assert.deepEqual(
      model25[1]?.parts.map((part) => part.thoughtSignature),
      [undefined, undefined],
    );
    assert.deepEqual(gemini25.warnings, []);
  });

  it('reasoning comes back as thought parts; a signature-only entry goes on the following text part', () => {
    const { body } = contentsOf([
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        content: 'Answer.',
        reasoning_details: [
          { type: 'reasoning.text', text: 'Thinking…' },
          { type: 'reasoning.text', text: '', signature: 'SIG' },
        ],
      },
      { role: 'user', content: 'y' },
    ]);
    assert.deepEqual((body.contents as unknown[])[1], {
      role: 'model',
      parts: [
        { text: 'Thinking…', thought: true },
        { text: 'Answer.', thoughtSignature: 'SIG' },
      ],
    });
  });

  it('images: data URL → inlineData; http(s) URL → fileData with a MIME type from the extension', () => {
    const { body, warnings } = contentsOf([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.webp?size=2' } },
          { type: 'image_url', image_url: { url: 'gs://bucket/dog.JPG' } },
          { type: 'image_url', image_url: { url: 'https://example.com/render' } },
          { type: 'image_url', image_url: { url: 'https://www.youtube.com/watch?v=abc' } },
        ],
      },
    ]);
    assert.deepEqual((body.contents as Array<{ parts: unknown[] }>)[0]?.parts, [
      { text: 'Compare' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.webp?size=2' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'gs://bucket/dog.JPG' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/render' } },
      { fileData: { mimeType: 'video/mp4', fileUri: 'https://www.youtube.com/watch?v=abc' } },
    ]);
    assert.deepEqual(warnings, ['image URL without a known extension sent to Gemini as image/jpeg']);
  });

  it('files (PDF data, Gemini Files API names) and audio → inlineData / fileData', () => {
    const { body } = contentsOf([
      {
        role: 'user',
        content: [
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
          { type: 'file', file: { file_id: 'files/abc-123' } },
          { type: 'file', file: { file_data: 'data:text/csv;base64,YSxi' } },
          { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } },
        ],
      },
    ]);
    assert.deepEqual((body.contents as Array<{ parts: unknown[] }>)[0]?.parts, [
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
      { fileData: { fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc-123' } },
      { inlineData: { mimeType: 'text/csv', data: 'YSxi' } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
      { inlineData: { mimeType: 'audio/mp3', data: 'SUQz' } },
    ]);
  });

  it('an OpenAI file id is unsupported: 400 naming the part, or dropped with a warning under dropUnsupported', () => {
    const messages: OpenAIMessage[] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'x' },
          { type: 'file', file: { file_id: 'file-abc' } },
        ],
      },
    ];
    assert.throws(
      () => contentsOf(messages),
      (error: unknown) =>
        error instanceof GatewayError &&
        error.code === 'unsupported_parameter' &&
        error.param === 'messages[0].content[1].file',
    );
    const dropped = contentsOf(messages, { capabilities: { dropUnsupported: true } });
    assert.deepEqual(dropped.body.contents, [{ role: 'user', parts: [{ text: 'x' }] }]);
    assert.equal(dropped.warnings.length, 1);
    assert.match(dropped.warnings[0] ?? '', /^messages\[0\]\.content\[1\]\.file dropped/);
  });

  it('tool results with images: functionResponse.parts on Gemini 3, next to the functionResponse on older models', () => {
    const messages: OpenAIMessage[] = [
      { role: 'user', content: 'x' },
      { role: 'assistant', content: null, tool_calls: [call('c1', 'shot', '{}')] },
      {
        role: 'tool',
        tool_call_id: 'c1',
        content: [
          { type: 'text', text: 'screenshot taken' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        ],
      },
    ];
    const gemini3 = contentsOf(messages, { model: 'gemini-3-flash-preview' });
    assert.deepEqual((gemini3.body.contents as Array<{ parts: unknown[] }>)[2]?.parts, [
      {
        functionResponse: {
          id: 'c1',
          name: 'shot',
          response: { output: 'screenshot taken' },
          parts: [{ inlineData: { mimeType: 'image/png', data: 'AAAA' } }],
        },
      },
    ]);
    const gemini25 = contentsOf(messages);
    assert.deepEqual((gemini25.body.contents as Array<{ parts: unknown[] }>)[2]?.parts, [
      { functionResponse: { id: 'c1', name: 'shot', response: { output: 'screenshot taken' } } },
      { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
    ]);
  });

  it('Gemma takes no systemInstruction: the system text leads the first user turn', () => {
    const { body, warnings } = contentsOf(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      { model: 'gemma-3-27b-it' },
    );
    assert.equal(body.systemInstruction, undefined);
    assert.deepEqual(body.contents, [{ role: 'user', parts: [{ text: 'Be brief.' }, { text: 'Hi' }] }]);
    assert.equal(warnings.length, 1);
  });

  it('only system messages: the system text is sent as the user turn', () => {
    const { body } = contentsOf([{ role: 'system', content: 'Say hi.' }]);
    assert.equal(body.systemInstruction, undefined);
    assert.deepEqual(body.contents, [{ role: 'user', parts: [{ text: 'Say hi.' }] }]);
  });
});
