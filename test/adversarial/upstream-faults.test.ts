/**
 * Issue 12, items 2, 7 and 9 on the upstream side: an upstream that never ends an SSE line, sends
 * an oversized body or error, breaks the SSE framing, reports negative token counts, echoes the
 * provider key or stalls mid-body. The client gets an error (never a clean 200 carrying the fault),
 * the key never reaches it, and memory stays bounded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  anthropicAnswer,
  anthropicBlockStart,
  anthropicDelta,
  anthropicError,
  anthropicErrorEvent,
  anthropicMessageStart,
} from '../support/anthropic-steps.ts';
import { openAIAnswer, openAIChunk, openAIUsageChunk } from '../support/openai-steps.ts';
import type { Step } from '../support/upstream-simulator.ts';
import { classify, type Exchange, expectErrorEnvelope, expectRefused, sseData } from './exchange.ts';
import { afterwards, hasServerField, mb, PROVIDER_KEYS, useAdversarialLlmux, user } from './harness.ts';
import { endlessSseLine, geminiError, geminiResponse, openAIError, padded } from './upstream-steps.ts';

const TOO_LARGE = 'upstream_response_too_large';
/** Far above the 1 MB event cap of the suite and the 8 MB default. */
const ENDLESS_LINE_BYTES = mb(24);
/** Above the suite's 2 MB response cap. */
const OVERSIZED_BODY_BYTES = mb(6);
/** Above the 8 MB error-body default. */
const OVERSIZED_ERROR_BYTES = mb(12);

const MODELS = { compat: 'compat', claude: 'claude', gem: 'gemini' } as const;
type Provider = keyof typeof MODELS;
const PATHS: Record<Provider, string> = {
  compat: '/v1/chat/completions',
  claude: '/v1/messages',
  gem: '/v1beta/models/',
};

/** The negative token counts a clean answer shows the client. */
function negativeUsage(exchange: Exchange): number[] {
  return [...exchange.body.matchAll(/"(?:prompt|completion|total|cached|reasoning)_tokens":(-?\d+)/g)]
    .map((match) => Number(match[1]))
    .filter((value) => value < 0);
}

describe('adversarial: upstream faults (child process)', () => {
  const llmux = useAdversarialLlmux();

  const script = (provider: Provider, step: Step) => llmux().sims[provider].route(PATHS[provider], () => step);
  const chat = (label: string, provider: Provider, stream: boolean, extra: Record<string, unknown> = {}) =>
    llmux().chat(`${label} (${provider}, stream=${stream})`, {
      model: MODELS[provider],
      stream,
      messages: user,
      ...extra,
    });

  it('an SSE line that never ends → upstream_response_too_large (502, or an error event), on every provider', async () => {
    const prefixes: Record<Provider, string> = {
      compat: 'data: {"choices":[{"index":0,"delta":{"content":"',
      claude: `${anthropicMessageStart()}event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"`,
      gem: 'data: {"candidates":[{"content":{"role":"model","parts":[{"text":"',
    };
    for (const provider of ['compat', 'claude', 'gem'] as const) {
      script(provider, endlessSseLine(ENDLESS_LINE_BYTES, prefixes[provider]));
      const exchange = await chat('endless SSE line', provider, true);
      expectRefused(exchange, { status: 502, code: TOO_LARGE });
    }
  });

  it('an oversized non-streaming body (with and without content-length) → 502 upstream_response_too_large', async () => {
    assert.ok(hasServerField('maxUpstreamResponseMb'), 'server.maxUpstreamResponseMb exists (issue 12 item 2)');
    const bodies: Record<Provider, Buffer> = {
      compat: padded(
        '{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"',
        OVERSIZED_BODY_BYTES,
        '"}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}',
      ),
      claude: padded(
        '{"id":"msg","type":"message","role":"assistant","model":"m","stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1},"content":[{"type":"text","text":"',
        OVERSIZED_BODY_BYTES,
        '"}]}',
      ),
      gem: padded(
        '{"candidates":[{"index":0,"finishReason":"STOP","content":{"role":"model","parts":[{"text":"',
        OVERSIZED_BODY_BYTES,
        '"}]}}]}',
      ),
    };
    for (const provider of ['compat', 'claude', 'gem'] as const) {
      script(provider, { kind: 'json', body: bodies[provider] });
      expectErrorEnvelope(await chat('oversized body', provider, false), { status: 502, code: TOO_LARGE });
      // Chunked, no content-length: the cap must hold while reading, not only on the header.
      script(provider, {
        kind: 'sse',
        headers: { 'content-type': 'application/json' },
        body: bodies[provider],
        chunkBytes: 65536,
      });
      expectErrorEnvelope(await chat('oversized chunked body', provider, false), { status: 502, code: TOO_LARGE });
    }
  });

  it('an oversized upstream error body → a bounded 5xx in the envelope', async () => {
    const body = padded('{"error":{"message":"', OVERSIZED_ERROR_BYTES, '","type":"server_error"}}');
    for (const provider of ['compat', 'claude', 'gem'] as const) {
      for (const stream of [false, true]) {
        script(provider, { kind: 'json', status: 500, body });
        const exchange = await chat('oversized error body', provider, stream);
        expectErrorEnvelope(exchange, { status: (status) => status >= 500 });
        assert.ok(exchange.body.length < mb(8.5), `the error answer is bounded (${exchange.body.length} bytes)`);
      }
    }
  });

  it('malformed SSE on the passthrough path (non-JSON data:) → an error, never a clean 200 stream', async () => {
    const first = openAIChunk({ role: 'assistant', content: 'hello' });
    const done = 'data: [DONE]\n\n';
    const streams: Array<[label: string, events: string[]]> = [
      ['non-JSON frame mid-stream', [first, 'data: this is not json\n\n', openAIChunk({}, 'stop'), done]],
      ['non-JSON first frame', ['data: {"choices":[{"delta":\n\n', openAIChunk({}, 'stop'), done]],
      ['truncated JSON frame', [first, 'data: {"id":"x","choices":[{"index":0,"delta":{"content":"a"\n\n', done]],
    ];
    for (const [label, events] of streams) {
      script('compat', { kind: 'sse-events', events });
      const exchange = await chat(label, 'compat', true);
      expectRefused(exchange);
      assert.ok(!sseData(exchange.body).includes('[DONE]'), `${label}: the stream does not end as if it were fine`);
    }
  });

  it('negative token counts from an upstream are rejected or clamped, never passed on', async () => {
    script('compat', openAIAnswer('neg', { prompt_tokens: -5, completion_tokens: -3 }));
    const compat = await chat('negative usage', 'compat', false);
    script('compat', {
      kind: 'sse-events',
      events: [
        openAIChunk({ role: 'assistant', content: 'neg' }),
        openAIChunk({}, 'stop'),
        openAIUsageChunk({ prompt_tokens: -5, completion_tokens: -3 }),
        'data: [DONE]\n\n',
      ],
    });
    const compatStream = await chat('negative usage', 'compat', true, { stream_options: { include_usage: true } });
    script('claude', anthropicAnswer('neg', { input_tokens: -100, output_tokens: -1 }));
    const claude = await chat('negative usage', 'claude', false);
    script('gem', {
      kind: 'json',
      body: geminiResponse('neg', { promptTokenCount: -7, candidatesTokenCount: -2, totalTokenCount: -9 }),
    });
    const gem = await chat('negative usage', 'gem', false);
    const passedOn: string[] = [];
    for (const exchange of [compat, compatStream, claude, gem]) {
      if (classify(exchange).kind !== 'success') expectRefused(exchange);
      else if (negativeUsage(exchange).length > 0)
        passedOn.push(`${exchange.label}: ${negativeUsage(exchange).join(', ')}`);
    }
    assert.deepEqual(passedOn, [], 'no negative token count reaches the client');
  });

  it('an upstream error echoing the provider key → the key reaches neither the client nor the log', async () => {
    const cases: Array<[label: string, provider: Provider, step: Step]> = [];
    for (const status of [400, 401, 500]) {
      const key = PROVIDER_KEYS.compat;
      cases.push([
        `openai-compatible ${status} echoing the key in message/param/code/type`,
        'compat',
        openAIError(status, { message: `bad key ${key}`, type: `type ${key}`, param: key, code: `code-${key}` }),
      ]);
      cases.push([
        `anthropic ${status} echoing the key`,
        'claude',
        {
          kind: 'json',
          status,
          body: { type: 'error', error: { type: `t-${PROVIDER_KEYS.claude}`, message: `key ${PROVIDER_KEYS.claude}` } },
        },
      ]);
      cases.push([
        `gemini ${status} with the key in ErrorInfo.reason and metadata`,
        'gem',
        geminiError(status, `API key not valid: ${PROVIDER_KEYS.gem}`, [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: `API_KEY_INVALID ${PROVIDER_KEYS.gem}`,
            domain: 'googleapis.com',
            metadata: { key: PROVIDER_KEYS.gem, service: 'generativelanguage.googleapis.com' },
          },
        ]),
      ]);
    }
    cases.push([
      'openai-compatible mid-stream error event echoing the key',
      'compat',
      {
        kind: 'sse-events',
        events: [
          openAIChunk({ role: 'assistant', content: 'partial' }),
          `data: ${JSON.stringify({ error: { message: `key ${PROVIDER_KEYS.compat}`, code: PROVIDER_KEYS.compat, param: PROVIDER_KEYS.compat } })}\n\n`,
        ],
      },
    ]);
    cases.push([
      'anthropic mid-stream error event echoing the key',
      'claude',
      {
        kind: 'sse-events',
        events: [
          anthropicMessageStart(),
          anthropicBlockStart,
          anthropicDelta('partial'),
          anthropicErrorEvent(`key ${PROVIDER_KEYS.claude}`, PROVIDER_KEYS.claude),
        ],
      },
    ]);
    for (const [label, provider, step] of cases) {
      for (const stream of [false, true]) {
        script(provider, step);
        const exchange = await chat(label, provider, stream);
        expectRefused(exchange);
        const key = PROVIDER_KEYS[provider];
        assert.ok(!exchange.body.includes(key), `${label} (stream=${stream}): the key is not in the answer`);
      }
    }
  });

  it('plain upstream errors (400/429/500/529) → 4xx/5xx in the envelope', async () => {
    for (const status of [400, 429, 500, 529]) {
      script('claude', anthropicError(status));
      expectErrorEnvelope(await chat(`anthropic ${status}`, 'claude', false), { status: (s) => s >= 400 });
      script('compat', openAIError(status, { message: `simulated ${status}`, type: 'server_error' }));
      expectErrorEnvelope(await chat(`openai-compatible ${status}`, 'compat', true), { status: (s) => s >= 400 });
    }
  });

  it('a body that stalls mid-way → 504 upstream_timeout (or an error event once streaming)', async () => {
    script('compat', {
      kind: 'sse-events',
      headers: { 'content-type': 'application/json' },
      events: ['{"id":"x","choices":['],
      thenStallMs: 60_000,
    });
    expectErrorEnvelope(await chat('stalled body', 'compat', false), { status: 504, code: 'upstream_timeout' });
    script('compat', {
      kind: 'sse-events',
      events: [openAIChunk({ role: 'assistant', content: 'a' })],
      thenStallMs: 60_000,
    });
    expectRefused(await chat('stalled stream', 'compat', true), { code: 'upstream_timeout' });
  });

  it('afterwards: alive, RSS near baseline, every request logged, no negative token count stored', async () => {
    await afterwards(llmux());
    for (const row of llmux().rows()) {
      for (const column of [
        'input_tokens',
        'output_tokens',
        'cached_input_tokens',
        'cache_write_tokens',
        'reasoning_tokens',
      ]) {
        const value = row[column];
        assert.ok(value === null || Number(value) >= 0, `${column} of ${row.request_id} is ${String(value)}`);
      }
    }
  });
});
