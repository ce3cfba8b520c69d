/** Text and reasoning block boundaries from each stream parser: start before a block's first delta, end after its last. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { atLeast, listFixtures, loadChunksAsSse } from '../../test/support/fixtures.ts';
import { STREAM_FIXTURES } from '../../test/support/providers/anthropic/fixture-streams.ts';
import { recordedStreamFixtures, streamBody } from '../../test/support/providers/gemini/test-helpers.ts';
import type { StreamEvent } from '../core/types.ts';
import { anthropicAdapter } from './anthropic/index.ts';
import { geminiAdapter } from './gemini/index.ts';
import { openAICompatibleAdapter } from './openai-compatible/index.ts';
import type { DeploymentTarget, ProviderAdapter } from './types.ts';

const target: DeploymentTarget = {
  providerName: 'p',
  providerType: 'any',
  baseUrl: 'http://127.0.0.1:1',
  model: 'm',
  capabilities: {},
};

function parse(adapter: ProviderAdapter, sse: string): StreamEvent[] {
  const parser = adapter.createStreamParser(target);
  return [...parser.push(Buffer.from(sse)), ...parser.end()];
}

/** The event types, with block numbers on boundaries and the text of deltas. */
function shape(events: StreamEvent[]): string[] {
  return events.flatMap((event) => {
    switch (event.type) {
      case 'text-start':
      case 'text-end':
      case 'reasoning-start':
      case 'reasoning-end':
        return [`${event.type}#${event.choice}.${event.block}`];
      case 'text-delta':
        return [`text:${event.text}`];
      case 'reasoning-delta':
        return [
          `reasoning:${event.text ?? ''}${event.signature ? `+sig:${event.signature}` : ''}${event.redactedData ? 'redacted' : ''}`,
        ];
      case 'tool-call-start':
        return [`tool-start#${event.index}`];
      case 'tool-call-end':
        return [`tool-end#${event.index}`];
      case 'finish':
        return [`finish#${event.choice}`];
      default:
        return [];
    }
  });
}

const data = (payload: object) => `data: ${JSON.stringify(payload)}\n\n`;

describe('OpenAI chat stream: synthesized boundaries', () => {
  const chunk = (choices: object[]) =>
    data({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices });
  const delta = (d: object, finish: string | null = null, index = 0) => ({ index, delta: d, finish_reason: finish });

  it('reasoning, then text, then a tool call, then finish', () => {
    const events = parse(
      openAICompatibleAdapter,
      chunk([delta({ role: 'assistant', reasoning_content: 'think' })]) +
        chunk([delta({ reasoning_content: 'ing' })]) +
        chunk([delta({ content: 'Hel' })]) +
        chunk([delta({ content: 'lo' })]) +
        chunk([
          delta({ tool_calls: [{ index: 0, id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] }),
        ]) +
        chunk([delta({}, 'tool_calls')]) +
        'data: [DONE]\n\n',
    );
    assert.deepEqual(shape(events), [
      'reasoning-start#0.0',
      'reasoning:think',
      'reasoning:ing',
      'reasoning-end#0.0',
      'text-start#0.1',
      'text:Hel',
      'text:lo',
      'text-end#0.1',
      'tool-start#0',
      'finish#0',
    ]);
  });

  it('each choice has its own blocks; a choice without a finish_reason is closed at [DONE]', () => {
    const events = parse(
      openAICompatibleAdapter,
      chunk([delta({ content: 'a' }, null, 0), delta({ content: 'b' }, null, 1)]) +
        chunk([delta({}, 'stop', 0)]) +
        'data: [DONE]\n\n',
    );
    assert.deepEqual(shape(events), [
      'text-start#0.0',
      'text:a',
      'text-start#1.0',
      'text:b',
      'text-end#0.0',
      'finish#0',
      'text-end#1.0',
    ]);
  });
});

describe('Anthropic stream: boundaries from content blocks', () => {
  const event = (name: string, payload: object) => `event: ${name}\n${data({ type: name, ...payload })}`;

  it('thinking, redacted thinking, text and tool_use blocks keep their index', () => {
    const events = parse(
      anthropicAdapter,
      event('message_start', {
        message: { id: 'msg', model: 'claude', usage: { input_tokens: 1, output_tokens: 0 } },
      }) +
        event('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }) +
        event('content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } }) +
        event('content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'S' } }) +
        event('content_block_stop', { index: 0 }) +
        event('content_block_start', { index: 1, content_block: { type: 'redacted_thinking', data: 'xx' } }) +
        event('content_block_stop', { index: 1 }) +
        event('content_block_start', { index: 2, content_block: { type: 'text', text: '' } }) +
        event('content_block_delta', { index: 2, delta: { type: 'text_delta', text: 'Hi' } }) +
        event('content_block_stop', { index: 2 }) +
        event('content_block_start', { index: 3, content_block: { type: 'tool_use', id: 't', name: 'f', input: {} } }) +
        event('content_block_stop', { index: 3 }) +
        event('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 3 } }) +
        event('message_stop', {}),
    );
    assert.deepEqual(shape(events), [
      'reasoning-start#0.0',
      'reasoning:hmm',
      'reasoning:+sig:S',
      'reasoning-end#0.0',
      'reasoning-start#0.1',
      'reasoning:redacted',
      'reasoning-end#0.1',
      'text-start#0.2',
      'text:Hi',
      'text-end#0.2',
      'tool-start#0',
      'tool-end#0',
      'finish#0',
    ]);
  });
});

describe('Gemini stream: synthesized boundaries', () => {
  const response = (parts: object[], finishReason?: string) =>
    data({ candidates: [{ index: 0, content: { role: 'model', parts }, ...(finishReason ? { finishReason } : {}) }] });

  it('thought parts, then text across events, then a function call; ends before finish', () => {
    const events = parse(
      geminiAdapter,
      response([{ text: 'plan', thought: true }]) +
        response([{ text: 'Hel' }]) +
        response([{ text: 'lo' }]) +
        response([{ functionCall: { name: 'f', args: {} } }]) +
        response([{ text: 'after' }], 'STOP'),
    );
    assert.deepEqual(shape(events), [
      'reasoning-start#0.0',
      'reasoning:plan',
      'reasoning-end#0.0',
      'text-start#0.1',
      'text:Hel',
      'text:lo',
      'text-end#0.1',
      'tool-start#0',
      'tool-end#0',
      'text-start#0.2',
      'text:after',
      'text-end#0.2',
      'finish#0',
    ]);
  });
});

/** Every text/reasoning delta lies inside an open block of its kind; starts and ends pair up. */
function assertWellFormed(events: StreamEvent[], name: string): void {
  const open = new Map<number, { kind: 'text' | 'reasoning'; block: number }>();
  const failed = events.some((event) => event.type === 'error');
  for (const event of events) {
    switch (event.type) {
      case 'text-start':
      case 'reasoning-start':
        assert.equal(open.get(event.choice), undefined, `${name}: ${event.type} inside another block`);
        open.set(event.choice, { kind: event.type === 'text-start' ? 'text' : 'reasoning', block: event.block });
        break;
      case 'text-end':
      case 'reasoning-end':
        assert.deepEqual(
          open.get(event.choice),
          { kind: event.type === 'text-end' ? 'text' : 'reasoning', block: event.block },
          `${name}: ${event.type} closes what was opened`,
        );
        open.delete(event.choice);
        break;
      case 'text-delta':
        assert.equal(open.get(event.choice)?.kind, 'text', `${name}: text-delta outside a text block`);
        break;
      case 'reasoning-delta':
        assert.equal(open.get(event.choice)?.kind, 'reasoning', `${name}: reasoning-delta outside a reasoning block`);
        break;
      default:
        break;
    }
  }
  if (!failed) assert.equal(open.size, 0, `${name}: every block ends`);
}

function parseRecorded(adapter: ProviderAdapter, body: Buffer): StreamEvent[] {
  const parser = adapter.createStreamParser(target);
  const events = parser.push(body);
  try {
    events.push(...parser.end());
  } catch {
    // A recording cut short: the events so far must still be well formed.
  }
  return events;
}

describe('recorded streams: blocks are well formed', () => {
  const recorded: Array<[string, ProviderAdapter, Buffer]> = [
    ...Object.entries(STREAM_FIXTURES).map(([name, load]): [string, ProviderAdapter, Buffer] => [
      name,
      anthropicAdapter,
      load(),
    ]),
    ...recordedStreamFixtures().map((rel): [string, ProviderAdapter, Buffer] => [rel, geminiAdapter, streamBody(rel)]),
    ...listFixtures('openai/vercel-ai', '.chunks.txt').map((rel): [string, ProviderAdapter, Buffer] => [
      rel,
      openAICompatibleAdapter,
      loadChunksAsSse(rel, 'openai'),
    ]),
  ];
  for (const [name, adapter, body] of atLeast(30, recorded, 'recorded streams')) {
    it(name, () => assertWellFormed(parseRecorded(adapter, body), name));
  }
});
