/**
 * Streaming and non-streaming agree, and SSE framing does not matter: every recorded Gemini stream
 * is also parsed as the JSON-array body of the stream endpoint without alt=sse (parseResponse), and
 * split at every byte boundary; every recorded response is also served as a one-event stream.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  geminiTarget,
  recordedStreamFixtures,
  recordedUnaryBodies,
  runStream,
  stableResult,
  streamBody,
  withStableIds,
} from '../../../test/support/providers/gemini/test-helpers.ts';
import { splitSseFrames } from '../../../test/support/replay-common.ts';
import { collect } from '../../core/collect.ts';
import { geminiAdapter } from './index.ts';

const STREAM_FIXTURES = recordedStreamFixtures();
const MID_STREAM_ERROR = 'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-failure-error-mid-stream.txt';

function payloads(body: Buffer): unknown[] {
  return splitSseFrames(body)
    .map((frame) => frame.replace(/^data: ?/, '').trim())
    .filter((data) => data !== '')
    .map((data) => JSON.parse(data) as unknown);
}

describe('Gemini stream / response agreement', () => {
  for (const rel of STREAM_FIXTURES.filter((file) => file !== MID_STREAM_ERROR)) {
    it(`${rel}: collect(stream) equals parseResponse(JSON array of the same events)`, () => {
      const body = streamBody(rel);
      const streamed = stableResult(collect(runStream([body]).events));
      const unary = stableResult(geminiAdapter.parseResponse(payloads(body), geminiTarget()));
      assert.deepEqual(streamed, unary);
    });
  }

  it('the JSON-array form with an error element is thrown as that error', () => {
    assert.throws(
      () => geminiAdapter.parseResponse(payloads(streamBody(MID_STREAM_ERROR)), geminiTarget()),
      (error: unknown) => error instanceof Error && error.message === 'The operation was cancelled.',
    );
  });

  for (const [key, body] of recordedUnaryBodies()) {
    it(`${key}: parseResponse equals collect(the body served as a one-event stream)`, () => {
      const frame = `${body
        .trim()
        .split('\n')
        .map((line) => `data: ${line}`)
        .join('\r\n')}\r\n\r\n`;
      const run = runStream([Buffer.from(frame)]);
      assert.equal(run.error, undefined);
      const streamed = stableResult(collect(run.events));
      const unary = stableResult(geminiAdapter.parseResponse(JSON.parse(body) as unknown, geminiTarget()));
      assert.deepEqual(streamed, unary);
    });
  }
});

describe('Gemini SSE robustness', () => {
  for (const rel of STREAM_FIXTURES) {
    it(`${rel}: same events when split at every byte boundary, and byte by byte`, () => {
      const body = streamBody(rel);
      const whole = runStream([body]);
      const expected = withStableIds(whole.events);
      for (let cut = 1; cut < body.length; cut++) {
        const split = runStream([body.subarray(0, cut), body.subarray(cut)]);
        assert.deepEqual(withStableIds(split.events), expected, `split at byte ${cut}`);
        assert.equal(split.error?.code, whole.error?.code, `split at byte ${cut}`);
      }
      const bytes = [...body].map((byte) => Buffer.from([byte]));
      assert.deepEqual(withStableIds(runStream(bytes).events), expected, 'byte by byte');
    });
  }
});
