/**
 * Recorded OpenAI streams (test/fixtures) → SseDecoder → OpenAIStreamParser → canonical events →
 * OpenAIChunkRenderer → chunks. What a client collects from the rendered chunks must equal what the recording
 * says (content, refusals, tool calls, finish reasons, logprobs, usage), and `collect()` of the events must
 * equal `fromOpenAIChatCompletion` of the equivalent non-streaming body folded from the same recording.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixturesRoot } from '../../../test/support/fixture-paths.ts';
import { collect } from '../../core/collect.ts';
import { GatewayError } from '../../core/errors.ts';
import type { StreamEvent } from '../../core/types.ts';
import { SseDecoder } from '../../lib/sse.ts';
import { fromOpenAIChatCompletion } from '../../providers/openai-compatible/response.ts';
import { OpenAIStreamParser } from '../../providers/openai-compatible/stream.ts';
import { OpenAIChunkRenderer, renderStreamError } from './render-stream.ts';

type Json = { [key: string]: unknown };

const read = (rel: string): Buffer => readFileSync(join(fixturesRoot, rel));

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asJson(value: unknown, what: string): Json {
  assert.ok(isJson(value), `${what}: expected an object`);
  return value;
}

const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Every recorded OpenAI chat stream, as the raw SSE body the API sent. */
function recordedStreams(): Array<{ name: string; body: Buffer }> {
  const streams: Array<{ name: string; body: Buffer }> = [];
  for (const file of readdirSync(join(fixturesRoot, 'openai/openai-python')).sort()) {
    if (file.endsWith('.bin')) streams.push({ name: file.slice(0, 8), body: read(`openai/openai-python/${file}`) });
  }
  for (const file of readdirSync(join(fixturesRoot, 'openai/vercel-ai')).sort()) {
    if (!file.endsWith('.chunks.txt')) continue;
    const lines = read(`openai/vercel-ai/${file}`)
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    streams.push({
      name: file,
      body: Buffer.from(`${lines.map((line) => `data: ${line}\n\n`).join('')}data: [DONE]\n\n`),
    });
  }
  for (const file of ['StreamingStructuredRefusalWorks.json', 'TokenLogProbabilitiesStreaming(True).json']) {
    const record = asJson(JSON.parse(read(`openai/openai-dotnet/${file}`).toString('utf8')), file);
    const entry = asJson(arrayOf(record.Entries)[0], `${file} entry`);
    streams.push({ name: file, body: Buffer.from(arrayOf(entry.ResponseBody).map(String).join('')) });
  }
  return streams;
}

/** The JSON payloads of a raw SSE body, `[DONE]` left out. */
function payloads(body: Buffer | string): Json[] {
  return body
    .toString()
    .split(/\r?\n\r?\n/)
    .map((frame) => frame.replace(/^data: ?/, '').trim())
    .filter((data) => data !== '' && data !== '[DONE]')
    .map((data) => asJson(JSON.parse(data), 'chunk'));
}

interface FoldedChoice {
  index: number;
  content: string;
  refusal: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  finishReason: string | null;
  logprobs: { content: unknown[] | null; refusal: unknown[] | null } | null;
}

/**
 * A client's fold of OpenAI chunks, written independently of llmux: the non-streaming `chat.completion` the
 * chunks add up to (content/refusal null when nothing was streamed, logprobs concatenated).
 */
function foldChunks(chunks: Json[]): Json {
  const choices = new Map<number, FoldedChoice>();
  let head: Json | undefined;
  let usage: unknown;
  for (const chunk of chunks) {
    if (head === undefined && typeof chunk.id === 'string' && chunk.id !== '') head = chunk;
    if (isJson(chunk.usage)) usage = chunk.usage;
    for (const raw of arrayOf(chunk.choices)) {
      const choice = asJson(raw, 'choice');
      const index = Number(choice.index ?? 0);
      let folded = choices.get(index);
      if (folded === undefined) {
        folded = { index, content: '', refusal: '', toolCalls: [], finishReason: null, logprobs: null };
        choices.set(index, folded);
      }
      const delta = isJson(choice.delta) ? choice.delta : {};
      if (typeof delta.content === 'string') folded.content += delta.content;
      if (typeof delta.refusal === 'string') folded.refusal += delta.refusal;
      for (const rawCall of arrayOf(delta.tool_calls)) {
        const call = asJson(rawCall, 'tool call');
        const fn = isJson(call.function) ? call.function : {};
        const at = Number(call.index);
        const existing = folded.toolCalls[at] ?? { id: '', name: '', arguments: '' };
        if (typeof call.id === 'string') existing.id = call.id;
        if (typeof fn.name === 'string') existing.name = fn.name;
        if (typeof fn.arguments === 'string') existing.arguments += fn.arguments;
        folded.toolCalls[at] = existing;
      }
      if (isJson(choice.logprobs)) {
        const content = arrayOf(choice.logprobs.content);
        const refusal = arrayOf(choice.logprobs.refusal);
        if (content.length > 0 || refusal.length > 0) {
          const target = folded.logprobs ?? { content: null, refusal: null };
          if (Array.isArray(choice.logprobs.content)) target.content = [...(target.content ?? []), ...content];
          if (Array.isArray(choice.logprobs.refusal)) target.refusal = [...(target.refusal ?? []), ...refusal];
          folded.logprobs = target;
        }
      }
      if (typeof choice.finish_reason === 'string') folded.finishReason = choice.finish_reason;
    }
  }
  assert.ok(head, 'a chunk with an id');
  const completion: Json = {
    id: head.id,
    object: 'chat.completion',
    created: head.created,
    model: head.model,
    choices: [...choices.values()]
      .sort((a, b) => a.index - b.index)
      .map((choice) => ({
        index: choice.index,
        message: {
          role: 'assistant',
          content: choice.content === '' ? null : choice.content,
          refusal: choice.refusal === '' ? null : choice.refusal,
          ...(choice.toolCalls.length > 0
            ? {
                tool_calls: choice.toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        },
        logprobs: choice.logprobs,
        finish_reason: choice.finishReason,
      })),
  };
  if (usage !== undefined) completion.usage = usage;
  if (typeof head.system_fingerprint === 'string') completion.system_fingerprint = head.system_fingerprint;
  if (typeof head.service_tier === 'string') completion.service_tier = head.service_tier;
  return completion;
}

/** Decodes a raw body in `step`-byte pieces and parses it into canonical events. */
function parseStream(body: Buffer, step = body.length): StreamEvent[] {
  const decoder = new SseDecoder();
  const parser = new OpenAIStreamParser();
  const events: StreamEvent[] = [];
  for (let offset = 0; offset < body.length; offset += step) {
    for (const sse of decoder.push(body.subarray(offset, offset + step))) events.push(...parser.push(sse));
  }
  for (const sse of decoder.end()) events.push(...parser.push(sse));
  events.push(...parser.end());
  return events;
}

function render(events: StreamEvent[], includeUsage: boolean): string {
  const renderer = new OpenAIChunkRenderer(includeUsage, {
    id: 'chatcmpl-fallback',
    model: 'fallback-model',
    created: 1,
  });
  return events.map((event) => renderer.render(event)).join('') + renderer.end();
}

const STREAMS = recordedStreams();

describe('OpenAI streams: parse → render → what the client collects', () => {
  it('has every recorded OpenAI stream', () => {
    assert.equal(STREAMS.length, 15);
  });

  for (const { name, body } of STREAMS) {
    describe(name, () => {
      const recorded = payloads(body);
      const expected = foldChunks(recorded);

      it('rendered chunks fold to the recorded content, refusals, tool calls, finish reasons, logprobs and usage', () => {
        const events = parseStream(body);
        const text = render(events, true);
        assert.ok(text.endsWith('data: [DONE]\n\n'), "text.endsWith('data: [DONE]\\n\\n')");
        const rendered = payloads(text);
        for (const chunk of rendered) {
          assert.equal(chunk.object, 'chat.completion.chunk');
          assert.equal(chunk.id, expected.id);
          assert.equal(chunk.model, expected.model);
          assert.equal(chunk.created, expected.created);
        }
        const got = foldChunks(rendered);
        assert.deepEqual(got.choices, expected.choices);
        const usage = asJson(expected.usage, 'recorded usage');
        const renderedUsage = asJson(rendered.at(-1)?.usage, 'rendered usage');
        assert.deepEqual(rendered.at(-1)?.choices, []);
        for (const key of ['prompt_tokens', 'completion_tokens', 'total_tokens'])
          assert.equal(renderedUsage[key], usage[key], key);
        for (const details of ['prompt_tokens_details', 'completion_tokens_details']) {
          const recordedDetails = usage[details];
          if (!isJson(recordedDetails)) continue;
          for (const [key, value] of Object.entries(recordedDetails)) {
            assert.equal(asJson(renderedUsage[details], details)[key], value, `${details}.${key}`);
          }
        }
        const firstPerChoice = new Map<unknown, Json>();
        for (const chunk of rendered) {
          for (const choice of arrayOf(chunk.choices)) {
            const entry = asJson(choice, 'choice');
            if (!firstPerChoice.has(entry.index)) firstPerChoice.set(entry.index, entry);
          }
        }
        for (const first of firstPerChoice.values()) assert.equal(asJson(first.delta, 'delta').role, 'assistant');
      });

      it('without include_usage the usage chunk is left out', () => {
        const rendered = payloads(render(parseStream(body), false));
        assert.ok(
          rendered.every((chunk) => chunk.usage === undefined),
          'rendered.every((chunk) => chunk.usage === undefined)',
        );
        assert.deepEqual(foldChunks(rendered).choices, expected.choices);
      });

      it('collect() of the events equals fromOpenAIChatCompletion() of the equivalent body', () => {
        assert.deepEqual(collect(parseStream(body)), fromOpenAIChatCompletion(expected));
      });

      it('decoding in 7-byte pieces gives the same events', () => {
        assert.deepEqual(parseStream(body, 7), parseStream(body));
      });
    });
  }

  it('spot checks against the recordings', () => {
    const byName = new Map(STREAMS.map((stream) => [stream.name, stream.body]));
    const result = (name: string) => {
      const body = byName.get(name);
      assert.ok(body, name);
      return collect(parseStream(body));
    };
    const parallel = result('f82268f2');
    assert.deepEqual(
      parallel.choices[0]?.toolCalls.map((call) => call.name),
      ['GetWeatherArgs', 'get_stock_price'],
    );
    assert.equal(parallel.choices[0]?.finishReason.unified, 'tool_calls');
    assert.deepEqual(
      result('a491adda').choices.map((choice) => choice.text),
      [
        '{"city":"San Francisco","temperature":65,"units":"f"}',
        '{"city":"San Francisco","temperature":61,"units":"f"}',
        '{"city":"San Francisco","temperature":59,"units":"f"}',
      ],
    );
    assert.equal(result('4cc50a61').choices[0]?.finishReason.unified, 'length');
    assert.equal(result('173417d5').choices[0]?.refusal, "I'm sorry, I can't assist with that request.");
    const azure = result('azure-model-router.1.chunks.txt');
    assert.equal(azure.id, 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt');
    assert.equal(azure.choices[0]?.text, 'Capital of Denmark.');
    assert.equal(azure.usage?.reasoningTokens, 64);
    const logprobs = result('83b060ba').choices[0]?.logprobs?.content?.map((entry) => entry.token);
    assert.deepEqual(logprobs, ['Foo', '!']);
    const text = result('openai-text.chunks.txt');
    assert.equal(text.serviceTier, 'default');
    assert.equal(text.systemFingerprint, 'fp_de604bd877');
    assert.deepEqual([text.usage?.inputTokens, text.usage?.outputTokens], [16, 300]);
  });
});

describe('OpenAIChunkRenderer', () => {
  it('uses the fallback id/model/created when the upstream gave none, and marks the first delta per choice', () => {
    const renderer = new OpenAIChunkRenderer(false, { id: 'chatcmpl-x', model: 'demo', created: 42 });
    const text =
      renderer.render({ type: 'text-delta', choice: 0, text: 'Hi' }) +
      renderer.render({ type: 'text-delta', choice: 0, text: '!' }) +
      renderer.render({ type: 'finish', choice: 0, reason: { unified: 'error', raw: 'error' } }) +
      renderer.render({ type: 'usage', usage: { inputTokens: 3, outputTokens: 2, estimated: false } }) +
      renderer.end();
    const chunks = payloads(text);
    assert.deepEqual(chunks, [
      {
        id: 'chatcmpl-x',
        object: 'chat.completion.chunk',
        created: 42,
        model: 'demo',
        choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }],
      },
      {
        id: 'chatcmpl-x',
        object: 'chat.completion.chunk',
        created: 42,
        model: 'demo',
        choices: [{ index: 0, delta: { content: '!' }, finish_reason: null }],
      },
      {
        id: 'chatcmpl-x',
        object: 'chat.completion.chunk',
        created: 42,
        model: 'demo',
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
      },
    ]);
    assert.equal(renderer.lastUsage?.inputTokens, 3);
  });

  it('renders the usage chunk with OpenAI usage details when asked', () => {
    const renderer = new OpenAIChunkRenderer(true, { id: 'c', model: 'm', created: 1 });
    renderer.render({
      type: 'usage',
      usage: { inputTokens: 10, cachedInputTokens: 4, outputTokens: 7, reasoningTokens: 5, estimated: false },
    });
    const [usageChunk] = payloads(renderer.end());
    assert.deepEqual(usageChunk?.choices, []);
    assert.deepEqual(usageChunk?.usage, {
      prompt_tokens: 10,
      completion_tokens: 7,
      total_tokens: 17,
      prompt_tokens_details: { cached_tokens: 4 },
      completion_tokens_details: { reasoning_tokens: 5 },
    });
  });

  it('renders errors as an OpenAI error event', () => {
    const frame = renderStreamError(new GatewayError('upstream_error', 'boom'), 'r1');
    assert.deepEqual(payloads(frame), [
      { error: { message: 'boom (request id: r1)', type: 'upstream_error', param: null, code: 'upstream_error' } },
    ]);
    const renderer = new OpenAIChunkRenderer(false, { id: 'c', model: 'm', created: 1 });
    assert.equal(
      renderer.render({ type: 'error', error: new GatewayError('upstream_error', 'y') }).startsWith('data: {"error":'),
      true,
    );
  });
});
