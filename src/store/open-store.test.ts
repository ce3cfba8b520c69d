import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from './open-store.ts';

test('openStore opens SQLite from a path and refuses an empty config', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'llmux-open-store-'));
  try {
    const store = await openStore({ sqlite: join(directory, 'data', 'llmux.db') });
    assert.equal(store.kind, 'sqlite');
    await store.close();
    await assert.rejects(openStore({}), /no store configured/);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
