import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collect } from '../core/collect.ts';
import type { ChatResult, StreamEvent } from '../core/types.ts';
import { mergeEventStreams, mergeResults, sumUsage } from './fan-out.ts';

const result = (id: string, text: string, input: number, output: number): ChatResult => ({
  id,
  model: 'm',
  created: 1,
  choices: [
    {
      index: 0,
      text,
      refusal: null,
      reasoning: [],
      toolCalls: [],
      citations: [],
      logprobs: null,
      finishReason: { unified: 'stop', raw: 'end_turn' },
    },
  ],
  usage: { inputTokens: input, outputTokens: output, cachedInputTokens: 2, estimated: false },
});

test('mergeResults renumbers choices and sums usage', () => {
  const merged = mergeResults([result('a', 'one', 10, 3), result('b', 'two', 10, 5)]);
  assert.equal(merged.id, 'a');
  assert.deepEqual(
    merged.choices.map((c) => [c.index, c.text]),
    [
      [0, 'one'],
      [1, 'two'],
    ],
  );
  assert.deepEqual(merged.usage, { inputTokens: 20, outputTokens: 8, cachedInputTokens: 4, estimated: false });
});

test('sumUsage of nothing is undefined', () => {
  assert.equal(sumUsage([undefined, undefined]), undefined);
});

async function* source(events: StreamEvent[][], delayMs: number): AsyncGenerator<StreamEvent[]> {
  for (const batch of events) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    yield batch;
  }
}

test('mergeEventStreams offsets choices, keeps one start and sums usage at the end', async () => {
  const stream = (id: string, text: string, delay: number) =>
    source(
      [
        [{ type: 'response-start', id, model: 'm', created: 1 }],
        [{ type: 'text-delta', choice: 0, text }],
        [
          { type: 'finish', choice: 0, reason: { unified: 'stop', raw: 'end_turn' } },
          { type: 'usage', usage: { inputTokens: 5, outputTokens: 1, estimated: false } },
        ],
      ],
      delay,
    );
  const batches: StreamEvent[][] = [];
  for await (const batch of mergeEventStreams([stream('a', 'x', 3), stream('b', 'y', 1)], 1)) batches.push(batch);
  const events = batches.flat();
  assert.equal(events.filter((e) => e.type === 'response-start').length, 1);
  assert.equal(events.at(-1)?.type, 'usage');
  const folded = collect(events);
  assert.deepEqual(
    folded.choices.map((c) => [c.index, c.text, c.finishReason.unified]),
    [
      [0, 'x', 'stop'],
      [1, 'y', 'stop'],
    ],
  );
  assert.deepEqual(folded.usage, { inputTokens: 10, outputTokens: 2, estimated: false });
});

test('mergeEventStreams: a failing source releases the others at once instead of waiting for their next chunk', async () => {
  const upstream = new AbortController();
  let stalledClosed = false;
  async function* stalled(): AsyncGenerator<StreamEvent[]> {
    try {
      yield [{ type: 'response-start', id: 'a', model: 'm', created: 1 }];
      // Waits for an upstream chunk that only an abort ends (like a silent upstream stream).
      await new Promise((_resolve, reject) =>
        upstream.signal.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    } finally {
      stalledClosed = true;
    }
  }
  async function* failing(): AsyncGenerator<StreamEvent[]> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    throw new Error('upstream failed');
  }
  let releases = 0;
  const release = () => {
    releases++;
    upstream.abort();
  };
  const consume = async () => {
    for await (const _batch of mergeEventStreams([stalled(), failing()], 1, release));
  };
  const timeout = new Promise((_resolve, reject) => setTimeout(() => reject(new Error('merge hung')), 2000).unref());
  await assert.rejects(Promise.race([consume(), timeout]), /upstream failed/);
  assert.equal(releases, 1, 'release called once');
  assert.ok(stalledClosed, 'the stalled source was closed');
});

test('mergeEventStreams: a consumer that stops early releases the sources too', async () => {
  const upstream = new AbortController();
  async function* endless(id: string): AsyncGenerator<StreamEvent[]> {
    yield [{ type: 'text-delta', choice: 0, text: id }];
    await new Promise((_resolve, reject) =>
      upstream.signal.addEventListener('abort', () => reject(new Error('aborted'))),
    );
  }
  let released = false;
  for await (const _batch of mergeEventStreams([endless('a'), endless('b')], 1, () => {
    released = true;
    upstream.abort();
  }))
    break;
  assert.ok(released, 'release called when the consumer left');
});
