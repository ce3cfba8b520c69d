import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anthropicJsonStep, anthropicSseStep } from './anthropic-replay.ts';
import { atLeast, type ChunkFormat, listFixtures, loadCassette, loadJsGenaiRecording, loadRawSse } from './fixtures.ts';
import { geminiJsonStep, geminiSseStep } from './gemini-replay.ts';
import { dotnetStep, openaiJsonStep, openaiSseStep } from './openai-replay.ts';
import { fixtureStep, recordedExchange, splitSseFrames, toEventsStep } from './replay-common.ts';
import type { Step } from './simulator-steps.ts';

const helpers: Record<ChunkFormat, { sse: (rel: string) => Step; json: (rel: string) => Step }> = {
  openai: { sse: openaiSseStep, json: openaiJsonStep },
  anthropic: { sse: anthropicSseStep, json: anthropicJsonStep },
  gemini: { sse: geminiSseStep, json: geminiJsonStep },
};

function bodyOf(step: Step): Buffer {
  if (step.kind !== 'sse' && step.kind !== 'json') throw new Error(`unexpected ${step.kind}`);
  return Buffer.isBuffer(step.body) ? step.body : Buffer.from(String(step.body));
}

describe('replay helpers', () => {
  it('turn every provider fixture into the right kind of step', () => {
    for (const format of ['openai', 'anthropic', 'gemini'] as const) {
      for (const rel of atLeast(30, listFixtures(format), `${format} fixtures`)) {
        const step = fixtureStep(rel, format);
        const helper = step.kind === 'sse' ? helpers[format].sse : helpers[format].json;
        assert.deepEqual(helper(rel), step, rel);
        assert.ok(bodyOf(step).length > 0, rel);
      }
    }
  });

  it('reject a fixture of the wrong kind', () => {
    assert.throws(() => openaiSseStep('openai/vercel-ai/openai-text.json'), /expected an SSE body/);
    assert.throws(() => geminiJsonStep('gemini/vercel-ai/google-text.chunks.txt'), /expected a non-streaming body/);
    assert.throws(() => dotnetStep('openai/openai-dotnet/HelloWorldChat.json', 3), /no exchange at index 3/);
  });

  it('keep recorded statuses, replayable headers and requests', () => {
    const refused = dotnetStep('openai/openai-dotnet/StructuredOutputs(WithoutSchema,Strict,FailureExpected).json');
    assert.equal(refused.kind === 'json' && refused.status, 400);
    assert.ok(refused.kind === 'json' && refused.headers?.['x-ratelimit-limit-requests']);
    assert.equal(refused.kind === 'json' && refused.headers?.['content-length'], undefined);
    const threshold = geminiJsonStep('gemini/vercel-ai/google-threshold-live.json');
    assert.equal(threshold.kind === 'json' && threshold.headers?.['content-encoding'], undefined);
    assert.equal(threshold.kind === 'json' && threshold.headers?.['x-gemini-service-tier'], 'standard');
    const streamError = geminiJsonStep('gemini/js-genai/Chats_Tests_sendMessage_Send_message_stream_with_error.json');
    assert.equal(streamError.kind === 'json' && streamError.status, 404);
    const second = recordedExchange('openai/openai-dotnet/ConsecutiveToolCalls.json', 'openai', 1);
    assert.equal(second.request?.method, 'POST');
    assert.ok(JSON.stringify(second.request?.body).includes('"role":"tool"'));
    const modelError = anthropicJsonStep('anthropic/pydantic-ai/test_model_name_suggestion[anthropic].yaml');
    assert.equal(modelError.kind === 'json' && modelError.status, 404);
  });

  it('pick the requested interaction of multi-exchange recordings', () => {
    const rel = 'gemini/js-genai/AFC_Streaming_Tests_generateContentStream_afc_enabled_Google_AI_AFC_enabled.json';
    const step = geminiSseStep(rel, { index: 1 });
    assert.ok(bodyOf(step).equals(loadJsGenaiRecording(rel).interactions[1]?.response.body ?? Buffer.alloc(0)));
    const cassette = 'gemini/pydantic-ai/test_google_streaming_tool_call_thought_signature.yaml';
    assert.ok(
      bodyOf(geminiSseStep(cassette, { index: 1 })).equals(
        loadCassette(cassette).interactions[1]?.response.body ?? Buffer.alloc(0),
      ),
    );
  });

  it('split raw SSE bodies into frames losslessly and cut streams short', () => {
    const raw = [
      ...listFixtures('openai/openai-python', '.bin'),
      ...listFixtures('derived-sse', '.sse'),
      ...listFixtures('gemini/firebase-vertexai-sdk-test-data', '.txt'),
      ...listFixtures('anthropic/anthropic-sdk-typescript', '.txt'),
    ];
    for (const rel of atLeast(35, raw, 'raw SSE bodies'))
      assert.equal(splitSseFrames(loadRawSse(rel)).join(''), loadRawSse(rel).toString('utf8'), rel);
    const events = toEventsStep(anthropicSseStep('anthropic/vercel-ai/anthropic-text.chunks.txt'), {
      take: 3,
      thenError: 'close',
    });
    assert.equal(events.kind, 'sse-events');
    assert.equal(events.kind === 'sse-events' && events.events.length, 3);
    assert.match(events.kind === 'sse-events' ? (events.events[0] ?? '') : '', /^event: message_start\ndata: /);
  });
});
