/**
 * Golden rendering checks: llmux's Responses events and objects against real Responses API
 * recordings (test/fixtures/openai-responses/, see PROVENANCE.md): the same event order, the same
 * keys on every event, item and part, consecutive `sequence_number`s, `event:` lines matching the
 * payload type.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadChunkLines, readFixture } from '../../../test/support/fixtures.ts';
import { GatewayError } from '../../core/errors.ts';
import type { ChatResult, StreamEvent } from '../../core/types.ts';
import type { ResponsesRequestBody } from '../../protocols/openai-responses.ts';
import { decodeReasoningCarrier } from './reasoning-carrier.ts';
import { renderResponsesError } from './render-error.ts';
import { type ResponseIdentity, toResponse } from './render-response.ts';
import { ResponsesEventRenderer } from './render-stream.ts';

type Payload = Record<string, unknown>;
const DIR = 'openai-responses/vercel-ai';

function identity(body: Partial<ResponsesRequestBody> = {}): ResponseIdentity {
  return { id: 'resp_req1', model: 'm', createdAt: 1_700_000_000, body: { model: 'm', input: 'hi', ...body } };
}

/** Renders events (then the end), and checks the framing; returns the payloads. */
function renderAll(
  events: StreamEvent[],
  body: Partial<ResponsesRequestBody> = {},
  failWith?: GatewayError,
): Payload[] {
  const renderer = new ResponsesEventRenderer(identity(body));
  let sse = events.map((event) => renderer.render(event)).join('');
  sse += failWith ? renderer.fail(failWith) : renderer.end();
  const frames = sse.split('\n\n').filter((frame) => frame !== '');
  return frames.map((frame, index) => {
    const [eventLine, dataLine] = frame.split('\n');
    const payload = JSON.parse((dataLine ?? '').replace(/^data: /, '')) as Payload;
    assert.equal(eventLine, `event: ${String(payload.type)}`, 'the event line names the payload type');
    assert.equal(payload.sequence_number, index, 'sequence numbers count from 0 without gaps');
    return payload;
  });
}

/** The recorded stream (the first one of a file that holds several), as payloads. */
function recorded(file: string): Payload[] {
  const out: Payload[] = [];
  for (const line of loadChunkLines(`${DIR}/${file}`)) {
    const payload = JSON.parse(line) as Payload;
    out.push(payload);
    if (payload.type === 'response.completed' || payload.type === 'response.failed') break;
  }
  return out;
}

/** Event types with runs of the same type collapsed (delta counts differ). */
const typeRuns = (payloads: Payload[]): string[] =>
  payloads.map((p) => String(p.type)).filter((type, i, all) => i === 0 || all[i - 1] !== type);

/** `completed_at` is newer than some recordings (the 2026 ones send it, the 2025 ones do not). */
const NEWER_RESPONSE_KEYS = ['completed_at'];

/** Keys of our response object that a recorded one lacks (beyond the newer keys). */
const unknownResponseKeys = (ours: unknown, theirs: unknown): string[] =>
  keysOf(ours).filter((key) => !keysOf(theirs).includes(key) && !NEWER_RESPONSE_KEYS.includes(key));

const keysOf = (value: unknown): string[] =>
  Object.keys(value as Payload)
    .filter((key) => key !== 'obfuscation')
    .sort();

/** Same keys on the first event of each type, and on the items and parts they carry. */
function assertSameShapes(ours: Payload[], theirs: Payload[]): void {
  for (const mine of ours) {
    const twin = theirs.find(
      (p) => p.type === mine.type && (p.item as Payload | undefined)?.type === (mine.item as Payload | undefined)?.type,
    );
    assert.ok(twin, `the recording has a ${String(mine.type)}`);
    if (String(mine.type).startsWith('response.') && 'response' in mine) {
      assert.deepEqual(
        unknownResponseKeys(mine.response, twin.response),
        [],
        `${String(mine.type)}: response keys OpenAI does not send`,
      );
      continue;
    }
    assert.deepEqual(keysOf(mine), keysOf(twin), `${String(mine.type)}: event keys`);
    if (mine.part) assert.deepEqual(keysOf(mine.part), keysOf(twin.part), `${String(mine.type)}: part keys`);
    if (mine.item && mine.type === 'response.output_item.done') {
      const mineItem = mine.item as Payload;
      const expected = keysOf(twin.item).filter(
        (key) => key !== 'encrypted_content' || 'encrypted_content' in mineItem,
      );
      assert.deepEqual(keysOf(mineItem), expected, `${String(mineItem.type)} item keys`);
    }
  }
}

const usage = { type: 'usage', usage: { inputTokens: 444, outputTokens: 12, estimated: false } } as const;

describe('Responses stream rendering against recorded streams', () => {
  it('a text answer: created, in_progress, message item, content part, text deltas, done events, completed', () => {
    const ours = renderAll([
      { type: 'response-start', id: 'x', model: 'm', created: 1 },
      { type: 'text-start', choice: 0, block: 0 },
      { type: 'text-delta', choice: 0, text: '`arm64`' },
      { type: 'text-delta', choice: 0, text: ' (Apple Silicon).' },
      { type: 'text-end', choice: 0, block: 0 },
      { type: 'finish', choice: 0, reason: { unified: 'stop', raw: 'stop' } },
      usage,
    ]);
    const theirs = recorded('openai-shell-local-multiturn.1.chunks.txt');
    assert.deepEqual(typeRuns(ours), typeRuns(theirs));
    assertSameShapes(ours, theirs);
    const completed = ours.at(-1)?.response as Payload;
    const theirCompleted = (theirs.at(-1) as Payload).response as Payload;
    assert.deepEqual(keysOf(completed.usage), keysOf(theirCompleted.usage), 'usage keys');
    assert.deepEqual(completed.usage, {
      input_tokens: 444,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 12,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 456,
    });
    const text = ours.find((p) => p.type === 'response.output_text.done');
    assert.equal(text?.text, '`arm64` (Apple Silicon).', 'output_text.done has the whole text');
    assert.equal((completed.output as Payload[]).length, 1, 'the message is in the completed output');
  });

  it('a function call: item added with empty arguments, argument deltas, done, output_item.done', () => {
    const ours = renderAll([
      { type: 'tool-call-start', choice: 0, index: 0, id: 'call_Q7', name: 'get_weather' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '{"location":' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '"SF"}' },
      { type: 'tool-call-end', choice: 0, index: 0 },
      { type: 'finish', choice: 0, reason: { unified: 'tool_calls', raw: 'tool_calls' } },
      usage,
    ]);
    const theirs = recorded('openai-client-tool-search.2.chunks.txt');
    assert.deepEqual(typeRuns(ours), typeRuns(theirs));
    assertSameShapes(ours, theirs);
    const done = ours.find((p) => p.type === 'response.output_item.done')?.item as Payload;
    assert.deepEqual(
      { status: done.status, call_id: done.call_id, name: done.name, arguments: done.arguments },
      { status: 'completed', call_id: 'call_Q7', name: 'get_weather', arguments: '{"location":"SF"}' },
    );
  });

  it('reasoning then a call: summary part and text events, encrypted_content carrying the signature', () => {
    const ours = renderAll(
      [
        { type: 'reasoning-start', choice: 0, block: 0 },
        { type: 'reasoning-delta', choice: 0, text: 'Calculating step by step.' },
        { type: 'reasoning-delta', choice: 0, signature: 'sig-abc' },
        { type: 'reasoning-end', choice: 0, block: 0 },
        { type: 'tool-call-start', choice: 0, index: 0, id: 'call_AB', name: 'calculator' },
        { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '{"a":12}' },
        { type: 'tool-call-end', choice: 0, index: 0 },
        { type: 'finish', choice: 0, reason: { unified: 'tool_calls', raw: 'tool_use' } },
      ],
      { include: ['reasoning.encrypted_content'] },
    );
    const theirs = recorded('openai-reasoning-encrypted-content.1.chunks.txt');
    assert.deepEqual(typeRuns(ours), typeRuns(theirs));
    assertSameShapes(ours, theirs);
    const reasoning = ours.find((p) => p.type === 'response.output_item.done')?.item as Payload;
    assert.deepEqual(reasoning.summary, [{ type: 'summary_text', text: 'Calculating step by step.' }]);
    assert.deepEqual(decodeReasoningCarrier(String(reasoning.encrypted_content)), { signature: 'sig-abc' });
  });

  it('no encrypted_content unless the client asked for it with include', () => {
    const ours = renderAll([
      { type: 'reasoning-delta', choice: 0, text: 'hm', signature: 'sig' },
      { type: 'reasoning-end', choice: 0, block: 0 },
    ]);
    const item = ours.find((p) => p.type === 'response.output_item.done')?.item as Payload;
    assert.ok(!('encrypted_content' in item), 'no include, no encrypted_content');
  });

  it('a failure after the start: an error event then response.failed, as OpenAI sends them', () => {
    const error = new GatewayError('insufficient_quota', 'You exceeded your current quota');
    const ours = renderAll([{ type: 'response-start', id: 'x', model: 'm', created: 1 }], {}, error);
    const theirs = recorded('openai-error.1.chunks.txt');
    assert.deepEqual(typeRuns(ours), typeRuns(theirs));
    const mine = ours.find((p) => p.type === 'error') as Payload;
    const twin = theirs.find((p) => p.type === 'error') as Payload;
    assert.deepEqual(keysOf(mine), keysOf(twin), 'error event keys');
    assert.deepEqual(keysOf(mine.error), keysOf(twin.error), 'error keys');
    const failed = (ours.at(-1) as Payload).response as Payload;
    assert.equal(failed.status, 'failed');
    assert.deepEqual(keysOf(failed.error), keysOf(((theirs.at(-1) as Payload).response as Payload).error));
  });

  it('a stop on the token limit ends with response.incomplete and its reason', () => {
    const ours = renderAll([
      { type: 'text-delta', choice: 0, text: 'partial' },
      { type: 'finish', choice: 0, reason: { unified: 'length', raw: 'length' } },
    ]);
    const last = ours.at(-1) as Payload;
    assert.equal(last.type, 'response.incomplete');
    assert.deepEqual((last.response as Payload).incomplete_details, { reason: 'max_output_tokens' });
  });
});

describe('Responses object rendering', () => {
  it('reasoning and message items with the keys of a recorded response', () => {
    const theirs = JSON.parse(
      readFixture(`${DIR}/openai-reasoning-encrypted-content.1.json`).toString('utf8'),
    ) as Payload;
    const result: ChatResult = {
      id: 'x',
      model: 'm',
      created: 1,
      choices: [
        {
          index: 0,
          text: 'The answer is 4.',
          refusal: null,
          reasoning: [{ type: 'reasoning', text: 'Adding.', signature: 'sig' }],
          toolCalls: [],
          citations: [],
          logprobs: null,
          finishReason: { unified: 'stop', raw: 'stop' },
        },
      ],
      usage: { inputTokens: 10, outputTokens: 20, reasoningTokens: 8, estimated: false },
    };
    const ours = toResponse(result, identity({ include: ['reasoning.encrypted_content'] })) as Payload;
    assert.deepEqual(unknownResponseKeys(ours, theirs), [], 'response keys OpenAI does not send');
    const [reasoning, message] = ours.output as Payload[];
    const [theirReasoning, theirMessage] = theirs.output as Payload[];
    assert.deepEqual(keysOf(reasoning), keysOf(theirReasoning), 'reasoning item keys');
    assert.deepEqual(keysOf(message), keysOf(theirMessage), 'message item keys');
    const part = ((message as Payload).content as Payload[])[0];
    assert.deepEqual(keysOf(part), keysOf(((theirMessage as Payload).content as Payload[])[0]), 'output_text keys');
    assert.deepEqual(keysOf(ours.usage), keysOf(theirs.usage), 'usage keys');
    assert.equal(ours.status, 'completed');
  });
});

describe('Responses error envelope', () => {
  it("OpenAI's envelope, the field named in param, the request id in the message", () => {
    const error = new GatewayError('invalid_request', "Invalid 'input[0].call_id'", {
      param: 'input[0].call_id',
      reason: 'missing_required_parameter',
    });
    const rendered = renderResponsesError(error, 'req_1');
    assert.equal(rendered.status, 400);
    assert.deepEqual(JSON.parse(rendered.body), {
      error: {
        message: "Invalid 'input[0].call_id' (request id: req_1)",
        type: 'invalid_request_error',
        param: 'input[0].call_id',
        code: 'missing_required_parameter',
      },
    });
  });

  it('a rate limit is a 429 rate_limit_error with retry-after', () => {
    const rendered = renderResponsesError(
      new GatewayError('rate_limit_exceeded', 'slow down', { retryAfterMs: 1500 }),
      'r',
    );
    assert.equal(rendered.status, 429);
    assert.equal(rendered.headers['retry-after'], '2');
    assert.equal(JSON.parse(rendered.body).error.type, 'rate_limit_error');
  });
});
