import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from './errors.ts';
import { parseConfig } from './load.ts';

const storeOf = (yaml: string) => parseConfig(yaml, {}, 'test.yaml').store;

test('the request log journal defaults to a directory next to the SQLite file, synced every 100 ms', () => {
  const store = storeOf('store: { sqlite: /var/lib/llmux/llmux.db }');
  assert.deepEqual(store.journal, { directory: '/var/lib/llmux/request-log.journal', syncIntervalMs: 100 });
  assert.equal(store.flushIntervalMs, 1000);
});

test('Postgres deployments journal to ./data/request-log.journal unless told otherwise', () => {
  assert.equal(storeOf('store: { postgres: "postgres://h/db" }').journal?.directory, 'data/request-log.journal');
  assert.deepEqual(storeOf('store: { postgres: "postgres://h/db", journal: /j, journalSyncMs: 20 }').journal, {
    directory: '/j',
    syncIntervalMs: 20,
  });
});

test('journal: false turns it off; an in-memory SQLite store has none', () => {
  assert.equal(storeOf('store: { sqlite: ./x.db, journal: false }').journal, null);
  assert.equal(storeOf('store: { sqlite: ":memory:" }').journal, null);
  assert.equal(storeOf('store: { sqlite: ./x.db, flushIntervalMs: 250 }').flushIntervalMs, 250);
});

test('invalid durability settings are errors naming the field', () => {
  for (const [yaml, field] of [
    ['store: { sqlite: ./x.db, journal: [a] }', 'store.journal'],
    ['store: { sqlite: ./x.db, journal: "" }', 'store.journal'],
    ['store: { sqlite: ./x.db, journalSyncMs: 0 }', 'store.journalSyncMs'],
    ['store: { sqlite: ./x.db, flushIntervalMs: 0 }', 'store.flushIntervalMs'],
  ] as const) {
    assert.throws(
      () => storeOf(yaml),
      (error: unknown) => error instanceof ConfigError && error.message.includes(field),
      `${yaml} is refused naming ${field}`,
    );
  }
});
