/**
 * The renderers agree with the Gemini adapter, on recorded Gemini traffic used the other way round:
 * what the adapter reads from a recorded stream or response, rendered by this surface and read back
 * by the adapter, is the same answer (text, thoughts and their signatures, function calls, finish,
 * usage). Streams are checked in both framings (SSE and the JSON array).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  geminiTarget,
  recordedStreamFixtures,
  recordedUnaryBodies,
  runStream,
  streamBody,
} from '../../../test/support/providers/gemini/test-helpers.ts';
import { collect } from '../../core/collect.ts';
import type { ChatResult } from '../../core/types.ts';
import { geminiAdapter } from '../../providers/gemini/index.ts';
import { toGeminiResponse } from './render-response.ts';
import { ChunkFramer, GeminiChunkRenderer } from './render-stream.ts';

const MID_STREAM_ERROR = 'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-failure-error-mid-stream.txt';

/** What a Gemini client sees of an answer (ids are made up when Gemini sends none; citations and logprobs are not rendered). */
function answerOf(result: ChatResult) {
  return {
    choices: result.choices.map((choice) => ({
      text: choice.text ?? '',
      reasoning: choice.reasoning.map((part) => [part.text, part.signature]),
      calls: choice.toolCalls.map((call) => [call.name, JSON.parse(call.arguments || '{}'), call.signature]),
      finish: choice.finishReason.unified,
    })),
    usage: result.usage && [result.usage.inputTokens, result.usage.outputTokens, result.usage.reasoningTokens],
  };
}

describe('Gemini surface renderers agree with the Gemini adapter on recorded traffic', () => {
  for (const rel of recordedStreamFixtures().filter((file) => file !== MID_STREAM_ERROR)) {
    it(`${rel}: rendered as SSE and as a JSON array, read back the same`, () => {
      const events = runStream([streamBody(rel)]).events;
      const expected = answerOf(collect(events));
      const sse = new GeminiChunkRenderer(new ChunkFramer('sse'), 'fallback');
      let text = '';
      for (const event of events) text += sse.render(event);
      text += sse.end();
      assert.deepEqual(answerOf(collect(runStream([Buffer.from(text)]).events)), expected, 'SSE');
      const array = new GeminiChunkRenderer(new ChunkFramer('json-array'), 'fallback');
      let json = '';
      for (const event of events) json += array.render(event);
      json += array.end();
      const reread = geminiAdapter.parseResponse(JSON.parse(json), geminiTarget());
      assert.deepEqual(answerOf(reread), expected, 'JSON array');
    });
  }

  for (const [rel, body] of recordedUnaryBodies()) {
    it(`${rel}: rendered as a GenerateContentResponse, read back the same`, () => {
      const result = geminiAdapter.parseResponse(JSON.parse(body), geminiTarget());
      const rendered = JSON.parse(JSON.stringify(toGeminiResponse(result)));
      assert.deepEqual(answerOf(geminiAdapter.parseResponse(rendered, geminiTarget())), answerOf(result));
    });
  }
});
