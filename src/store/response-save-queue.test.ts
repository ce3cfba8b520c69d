import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ResponseSaveQueue } from './response-save-queue.ts';
import type { ResponseSave, StoredResponseRecord } from './types.ts';

function record(id: string): StoredResponseRecord {
  return {
    id,
    keyId: 'key_a',
    previousResponseId: null,
    provider: null,
    createdAt: 1,
    expiresAt: 2,
    response: null,
    inputItems: null,
  };
}

/** A store that records each saveAll call and refuses the ids it is told to. */
function recordingStore(refused: ReadonlySet<string> = new Set()) {
  const calls: string[][] = [];
  return {
    calls,
    async saveAll(entries: readonly ResponseSave[]) {
      calls.push(entries.map((entry) => entry.record.id));
      if (entries.some((entry) => refused.has(entry.record.id))) throw new Error('duplicate id');
    },
  };
}

describe('ResponseSaveQueue', () => {
  it('writes the saves of concurrent requests in one batch, in order, and settles each', async () => {
    const store = recordingStore();
    const queue = new ResponseSaveQueue(store);
    await Promise.all(['resp_1', 'resp_2', 'resp_3'].map((id) => queue.save({ record: record(id) })));
    assert.deepEqual(store.calls, [['resp_1', 'resp_2', 'resp_3']], 'one saveAll with the three, in order');
  });

  it('a batch that fails is written one save at a time: only the bad one is refused', async () => {
    const store = recordingStore(new Set(['resp_bad']));
    const queue = new ResponseSaveQueue(store);
    const results = await Promise.allSettled(
      ['resp_1', 'resp_bad', 'resp_2'].map((id) => queue.save({ record: record(id) })),
    );
    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
      'only the refused save fails',
    );
    assert.deepEqual(store.calls.slice(1), [['resp_1'], ['resp_bad'], ['resp_2']], 'then one by one');
  });

  it('drain() writes what is queued at once (shutdown)', async () => {
    const store = recordingStore();
    const queue = new ResponseSaveQueue(store);
    const saved = queue.save({ record: record('resp_last') });
    await queue.drain();
    assert.deepEqual(store.calls, [['resp_last']], 'written by drain');
    await saved;
  });
});
