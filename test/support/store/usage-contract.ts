import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestLogRecord, Store, UsageRow } from '../../../src/store/types.ts';
import { makeRequestLogRecord } from './store-test-records.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2025-06-01T00:00:00Z. */
const BASE = Date.UTC(2025, 5, 1);

type Usage = Pick<RequestLogRecord, 'keyId' | 'keyName' | 'team' | 'publicModel' | 'provider' | 'status'> &
  Partial<RequestLogRecord>;

const appA = { keyId: 'key_a', keyName: 'app-a', team: 'research' } as const;
const gpt = { publicModel: 'gpt', provider: 'openai' } as const;
const claude = { publicModel: 'claude', provider: 'anthropic' } as const;
const empty = {
  inputTokens: null,
  outputTokens: null,
  cachedInputTokens: null,
  reasoningTokens: null,
  costMicros: null,
};

/** A small log whose sums are worked out by hand below; r6 and r7 fall just outside [BASE, BASE + 2 days). */
const ROWS: Array<[timestamp: number, fields: Usage]> = [
  [
    BASE + HOUR,
    { ...appA, ...gpt, status: 200, inputTokens: 100, outputTokens: 10, cachedInputTokens: 5, costMicros: 1000 },
  ],
  [BASE + 2 * HOUR, { ...appA, ...gpt, status: 429, ...empty }],
  [
    BASE + DAY + HOUR,
    {
      ...appA,
      ...claude,
      status: 200,
      inputTokens: 200,
      outputTokens: 20,
      reasoningTokens: 7,
      costMicros: 2500,
      usageEstimated: true,
    },
  ],
  [
    BASE + DAY + 2 * HOUR,
    {
      keyId: 'key_b',
      keyName: 'app-b',
      team: 'research',
      ...gpt,
      status: 200,
      inputTokens: 50,
      outputTokens: 5,
      costMicros: 400,
    },
  ],
  [
    BASE + 3 * HOUR,
    {
      keyId: 'key_c',
      keyName: 'solo',
      team: null,
      ...claude,
      status: 500,
      inputTokens: 10,
      outputTokens: 0,
      costMicros: 0,
    },
  ],
  [
    BASE + 4 * HOUR,
    { keyId: null, keyName: null, team: null, publicModel: null, provider: null, status: 401, ...empty },
  ],
  [BASE + 2 * DAY, { ...appA, ...gpt, status: 200, inputTokens: 1000, outputTokens: 0, costMicros: 9000 }],
  [BASE - 1, { ...appA, ...gpt, status: 200, inputTokens: 1, outputTokens: 0, costMicros: 7 }],
];

function seedRecords(): RequestLogRecord[] {
  return ROWS.map(([timestamp, fields], index) =>
    makeRequestLogRecord(index, {
      cachedInputTokens: null,
      reasoningTokens: null,
      usageEstimated: false,
      ...fields,
      timestamp,
    }),
  );
}

/** [requests, errors, input, output, cached, reasoning, costMicros, estimated] */
type Sums = [number, number, number, number, number, number, number, number];

function row(group: string | null, sums: Sums, keyName?: string | null): UsageRow {
  const [requests, errors, inputTokens, outputTokens, cachedInputTokens, reasoningTokens, costMicros, estimated] = sums;
  const usage: UsageRow = {
    group,
    requests,
    errors,
    inputTokens,
    outputTokens,
    cachedInputTokens,
    reasoningTokens,
    costMicros,
    estimated,
  };
  if (keyName !== undefined) usage.keyName = keyName;
  return usage;
}

const NOTHING: Sums = [1, 1, 0, 0, 0, 0, 0, 0];
const CLAUDE: Sums = [2, 1, 210, 20, 0, 7, 2500, 1];
const GPT: Sums = [3, 1, 150, 15, 5, 0, 1400, 0];

/** Usage aggregation, spend and request log filters, registered inside the store contract's describe. */
export function registerUsageContract(open: () => Promise<Store>): void {
  const withSeededStore = (body: (store: Store) => Promise<void>) => async () => {
    const store = await open();
    try {
      for (const record of seedRecords()) store.requestLog.record(record);
      await store.requestLog.flush();
      await body(store);
    } finally {
      await store.close();
    }
  };
  const range = { from: BASE, to: BASE + 2 * DAY };

  test(
    'usage: grouped by key, team, model, provider and day over [from, to), nulls last',
    withSeededStore(async (store) => {
      assert.deepEqual(
        await store.usage({ ...range, groupBy: 'key' }),
        [
          row('key_a', [3, 1, 300, 30, 5, 7, 3500, 1], 'app-a'),
          row('key_b', [1, 0, 50, 5, 0, 0, 400, 0], 'app-b'),
          row('key_c', [1, 1, 10, 0, 0, 0, 0, 0], 'solo'),
          row(null, NOTHING, null),
        ],
        'by key, with the key name',
      );
      assert.deepEqual(
        await store.usage({ ...range, groupBy: 'team' }),
        [row('research', [4, 1, 350, 35, 5, 7, 3900, 1]), row(null, [2, 2, 10, 0, 0, 0, 0, 0])],
        'by team',
      );
      assert.deepEqual(
        await store.usage({ ...range, groupBy: 'model' }),
        [row('claude', CLAUDE), row('gpt', GPT), row(null, NOTHING)],
        'by model',
      );
      assert.deepEqual(
        await store.usage({ ...range, groupBy: 'provider' }),
        [row('anthropic', CLAUDE), row('openai', GPT), row(null, NOTHING)],
        'by provider',
      );
      assert.deepEqual(
        await store.usage({ ...range, groupBy: 'day' }),
        [row('2025-06-01', [4, 3, 110, 10, 5, 0, 1000, 0]), row('2025-06-02', [2, 0, 250, 25, 0, 7, 2900, 1])],
        'by UTC day',
      );
      const sums = await store.usage({ ...range, groupBy: 'day' });
      assert.ok(
        sums.every((usage) => Object.values(usage).every((value) => typeof value !== 'bigint')) &&
          sums.every((usage) => typeof usage.costMicros === 'number' && typeof usage.inputTokens === 'number'),
        'sums are JS numbers on every dialect',
      );
      assert.deepEqual(
        await store.usage({ from: BASE + 3 * DAY, to: BASE + 4 * DAY, groupBy: 'key' }),
        [],
        'empty range',
      );
    }),
  );

  test(
    'usage: filters by key, team and model',
    withSeededStore(async (store) => {
      assert.deepEqual(
        await store.usage({ ...range, groupBy: 'day', keyId: 'key_a' }),
        [row('2025-06-01', [2, 1, 100, 10, 5, 0, 1000, 0]), row('2025-06-02', [1, 0, 200, 20, 0, 7, 2500, 1])],
        'one key per day',
      );
      assert.deepEqual(
        await store.usage({ ...range, groupBy: 'model', team: 'research' }),
        [row('claude', [1, 0, 200, 20, 0, 7, 2500, 1]), row('gpt', GPT)],
        'one team per model',
      );
      assert.deepEqual(
        await store.usage({ ...range, groupBy: 'key', publicModel: 'gpt' }),
        [row('key_a', [2, 1, 100, 10, 5, 0, 1000, 0], 'app-a'), row('key_b', [1, 0, 50, 5, 0, 0, 400, 0], 'app-b')],
        'one model per key',
      );
    }),
  );

  test(
    'spentSince sums the cost of a key or a team from `since` on (inclusive)',
    withSeededStore(async (store) => {
      assert.equal(await store.spentSince({ kind: 'key', id: 'key_a' }, BASE), 1000 + 2500 + 9000, 'key since BASE');
      assert.equal(await store.spentSince({ kind: 'key', id: 'key_a' }, BASE - 1), 12_507, 'the row at `since` counts');
      assert.equal(await store.spentSince({ kind: 'key', id: 'key_a' }, BASE + DAY + HOUR), 11_500, 'later since');
      assert.equal(await store.spentSince({ kind: 'team', id: 'research' }, BASE), 12_900, 'team: every key of it');
      assert.equal(await store.spentSince({ kind: 'key', id: 'key_none' }, 0), 0, 'no rows: zero, not null');
      assert.equal(await store.spentSince({ kind: 'team', id: 'key_a' }, 0), 0, 'a key id is not a team');
    }),
  );

  test(
    'listRequests filters by until, key id, team and status',
    withSeededStore(async (store) => {
      const ids = async (query: Parameters<Store['listRequests']>[0]) =>
        (await store.listRequests(query)).map((record) => Number(record.requestId.slice(4)));
      assert.deepEqual(await ids({ keyId: 'key_a' }), [6, 2, 1, 0, 7], 'by key id, newest first');
      assert.deepEqual(await ids({ until: BASE + DAY }), [5, 4, 1, 0, 7], 'until is exclusive');
      assert.deepEqual(await ids({ since: BASE, until: BASE + DAY }), [5, 4, 1, 0], 'a window');
      assert.deepEqual(await ids({ team: 'research', status: 200 }), [6, 3, 2, 0, 7], 'team and status');
      assert.deepEqual(await ids({ status: 429 }), [1], 'by status');
      const [read] = await store.listRequests({ keyId: 'key_b' });
      assert.deepEqual(
        [read?.keyId, read?.team, read?.costMicros],
        ['key_b', 'research', 400],
        'the new columns read back',
      );
    }),
  );
}
