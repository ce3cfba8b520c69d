import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestLogRecord, StatsFigures, StatsPoint, Store } from '../../../src/store/types.ts';
import { makeRequestLogRecord } from './store-test-records.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 2025-06-01T00:00:00Z, a multiple of every bucket size. */
const BASE = Date.UTC(2025, 5, 1);

const appA = { keyName: 'app-a', keyId: 'key_a', team: 'research' } as const;
const appB = { keyName: 'app-b', keyId: 'key_b', team: null } as const;
const gpt = { publicModel: 'gpt', provider: 'openai' } as const;
const claude = { publicModel: 'claude', provider: 'anthropic' } as const;
const noUsage = { inputTokens: null, outputTokens: null, costMicros: null } as const;

/**
 * Two hours of traffic whose figures are worked out by hand in the tests below; the first and last
 * rows fall just outside [BASE, BASE + 2 h). Percentiles are of answered requests (status < 400).
 */
const ROWS: Array<[timestamp: number, fields: Partial<RequestLogRecord>]> = [
  [BASE - 1, { ...appA, ...gpt, status: 200, latencyMs: 5, ttftMs: 5, inputTokens: 1, outputTokens: 1, costMicros: 7 }],
  [
    BASE + 10 * MINUTE,
    { ...appA, ...gpt, status: 200, latencyMs: 100, ttftMs: 40, inputTokens: 10, outputTokens: 5, costMicros: 100 },
  ],
  [
    BASE + 20 * MINUTE,
    { ...appA, ...gpt, status: 200, latencyMs: 300, ttftMs: 60, inputTokens: 20, outputTokens: 10, costMicros: 200 },
  ],
  [BASE + 30 * MINUTE, { ...appB, ...claude, status: 500, latencyMs: 50, ttftMs: null, ...noUsage }],
  [
    BASE + 70 * MINUTE,
    { ...appB, ...gpt, status: 200, latencyMs: 1000, ttftMs: 100, inputTokens: 30, outputTokens: 15, costMicros: 300 },
  ],
  [
    BASE + 80 * MINUTE,
    { ...appA, ...claude, status: 200, latencyMs: 120, ttftMs: null, inputTokens: 5, outputTokens: 1, costMicros: 50 },
  ],
  [
    BASE + 90 * MINUTE,
    {
      keyName: null,
      keyId: null,
      team: null,
      publicModel: null,
      provider: null,
      status: 401,
      latencyMs: 0,
      ttftMs: null,
      ...noUsage,
    },
  ],
  [
    BASE + 2 * HOUR,
    { ...appA, ...gpt, status: 200, latencyMs: 9, ttftMs: 9, inputTokens: 1, outputTokens: 1, costMicros: 9 },
  ],
];

const range = { from: BASE, to: BASE + 2 * HOUR };

/** [requests, errors, input, output, costMicros, latency p50, p95, ttft p50, p95] */
type Figures = [number, number, number, number, number, number | null, number | null, number | null, number | null];

function figures(values: Figures): StatsFigures {
  const [requests, errors, inputTokens, outputTokens, costMicros, latencyP50Ms, latencyP95Ms, ttftP50Ms, ttftP95Ms] =
    values;
  return {
    requests,
    errors,
    inputTokens,
    outputTokens,
    costMicros,
    latencyP50Ms,
    latencyP95Ms,
    ttftP50Ms,
    ttftP95Ms,
  };
}

const point = (t: number, values: Figures): StatsPoint => ({ t, ...figures(values) });

/**
 * Hand-worked percentiles (bins of src/store/latency-histogram.ts: 5 ms wide under 100 ms, 10 ms in
 * [100, 200), 25 ms in [200, 500), 100 ms in [1000, 2000); rank = p × n, linear inside the bin,
 * kept within [min, max] of the values):
 * - first hour, latency {100, 300}: p50 rank 1 ends bin [100, 110) → 110; p95 rank 1.9 in [300, 325)
 *   capped at the max 300 → 300. TTFT {40, 60}: p50 → 45 (end of [40, 45)), p95 → 60.
 * - second hour, latency {120, 1000}: p50 → 130, p95 → 1000; TTFT {100} → 100.
 * - whole range, latency {100, 120, 300, 1000}: p50 rank 2 ends [120, 130) → 130; p95 → 1000.
 *   TTFT {40, 60, 100}: p50 rank 1.5, half-way through [60, 65) → 62.5 → 63; p95 → 100.
 */
const FIRST_HOUR: Figures = [3, 1, 30, 15, 300, 110, 300, 45, 60];
const SECOND_HOUR: Figures = [3, 1, 35, 16, 350, 130, 1000, 100, 100];

export function registerStatsContract(open: () => Promise<Store>): void {
  const withStore = (records: RequestLogRecord[], body: (store: Store) => Promise<void>) => async () => {
    const store = await open();
    try {
      for (const record of records) store.requestLog.record(record);
      await store.requestLog.flush();
      await body(store);
    } finally {
      await store.close();
    }
  };
  const seeded = ROWS.map(([timestamp, fields], index) => makeRequestLogRecord(index, { ...fields, timestamp }));

  test(
    'stats: hourly time series of the whole log, percentiles from SQL histograms',
    withStore(seeded, async (store) => {
      assert.deepEqual(await store.timeseries({ ...range, bucketMs: HOUR, groupBy: 'none' }), [
        { group: null, other: false, points: [point(BASE, FIRST_HOUR), point(BASE + HOUR, SECOND_HOUR)] },
      ]);
      assert.deepEqual(
        await store.timeseries({ from: BASE + 3 * HOUR, to: BASE + 4 * HOUR, bucketMs: HOUR, groupBy: 'none' }),
        [],
        'an empty range has no series',
      );
    }),
  );

  test(
    'stats: grouped by model, the groups beyond maxGroups summed into `other`',
    withStore(seeded, async (store) => {
      assert.deepEqual(await store.timeseries({ ...range, bucketMs: HOUR, groupBy: 'model', maxGroups: 1 }), [
        {
          group: 'gpt',
          other: false,
          points: [
            point(BASE, [2, 0, 30, 15, 300, 110, 300, 45, 60]),
            point(BASE + HOUR, [1, 0, 30, 15, 300, 1000, 1000, 100, 100]),
          ],
        },
        {
          group: null,
          other: true,
          points: [
            point(BASE, [1, 1, 0, 0, 0, null, null, null, null]),
            point(BASE + HOUR, [2, 1, 5, 1, 50, 120, 120, null, null]),
          ],
        },
      ]);
    }),
  );

  test(
    'stats: grouped by key, team and provider (null is a group of its own), 30-minute buckets',
    withStore(seeded, async (store) => {
      const byKey = await store.timeseries({ ...range, bucketMs: HOUR, groupBy: 'key' });
      assert.deepEqual(
        byKey.map((series) => [series.group, series.other, series.points.map((p) => [p.t, p.requests, p.costMicros])]),
        [
          [
            'app-a',
            false,
            [
              [BASE, 2, 300],
              [BASE + HOUR, 1, 50],
            ],
          ],
          [
            'app-b',
            false,
            [
              [BASE, 1, 0],
              [BASE + HOUR, 1, 300],
            ],
          ],
          [null, false, [[BASE + HOUR, 1, 0]]],
        ],
        'by key name, most requests first, the keyless rejection last',
      );
      const byTeam = await store.timeseries({ ...range, bucketMs: 30 * MINUTE, groupBy: 'team' });
      assert.deepEqual(
        byTeam.map((series) => [series.group, series.points.map((p) => [(p.t - BASE) / MINUTE, p.requests])]),
        [
          [
            'research',
            [
              [0, 2],
              [60, 1],
            ],
          ],
          [
            null,
            [
              [30, 1],
              [60, 1],
              [90, 1],
            ],
          ],
        ],
        'by team in 30-minute buckets (a tie of 3 requests: by name, null last)',
      );
      const byProvider = await store.timeseries({ ...range, bucketMs: 2 * HOUR, groupBy: 'provider' });
      assert.deepEqual(
        byProvider.map((series) => [series.group, series.points.map((p) => [p.requests, p.errors, p.inputTokens])]),
        [
          ['openai', [[3, 0, 60]]],
          ['anthropic', [[2, 1, 5]]],
          [null, [[1, 1, 0]]],
        ],
        'by provider in one bucket',
      );
    }),
  );

  test(
    'stats: summary of a range, with the keys that spent most',
    withStore(seeded, async (store) => {
      assert.deepEqual(await store.statsSummary(range), {
        ...figures([6, 2, 65, 31, 650, 130, 1000, 63, 100]),
        topKeys: [
          { keyName: 'app-a', team: 'research', requests: 3, costMicros: 350 },
          { keyName: 'app-b', team: null, requests: 2, costMicros: 300 },
        ],
      });
      assert.deepEqual(
        await store.statsSummary({ from: BASE + 3 * HOUR, to: BASE + 4 * HOUR }),
        { ...figures([0, 0, 0, 0, 0, null, null, null, null]), topKeys: [] },
        'an empty range',
      );
    }),
  );

  const spread = Array.from({ length: 100 }, (_, index) =>
    makeRequestLogRecord(index, {
      timestamp: BASE + index,
      latencyMs: index + 1,
      ttftMs: index % 2 === 0 ? 777 : null,
    }),
  );
  test(
    'stats: percentile precision: latencies 1..100 ms read p50 51 (exact 50) and p95 96 (exact 95)',
    withStore(spread, async (store) => {
      const summary = await store.statsSummary(range);
      // Bins of 5 ms: rank 50 is the 1st of 5 values in [50, 55) → 51; rank 95 the 1st in [95, 100) → 96.
      assert.deepEqual(
        [summary.latencyP50Ms, summary.latencyP95Ms, summary.ttftP50Ms, summary.ttftP95Ms],
        [51, 96, 777, 777],
        'within one 5 ms bin of the exact value; identical values read exactly',
      );
    }),
  );

  const slow = [1_500, 4_200, 700_000].map((latencyMs, index) =>
    makeRequestLogRecord(index, { timestamp: BASE + index, latencyMs, ttftMs: null }),
  );
  test(
    'stats: slow requests: bins widen with the value, past 10 min one overflow bin read up to the max',
    withStore(slow, async (store) => {
      const summary = await store.statsSummary(range);
      // n = 3. p50 rank 1.5: the 1500 bin [1500, 1600) holds rank 1, the 4200 bin [4000, 4250) rank 2:
      // 4000 + 250 × 0.5 = 4125. p95 rank 2.85: the overflow bin [600 000, ∞) capped at 700 000:
      // 600 000 + 100 000 × 0.85 = 685 000.
      assert.deepEqual([summary.latencyP50Ms, summary.latencyP95Ms], [4125, 685_000]);
      assert.equal(summary.ttftP50Ms, null, 'no TTFT without streams');
    }),
  );
}
