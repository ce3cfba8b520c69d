import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KeyRing, keyAllowsModel } from './key-ring.ts';

test('authenticates by key and never keeps the key itself', async () => {
  const ring = new KeyRing([{ name: 'dev', key: 'sk-llmux-secret-1', models: ['*'] }]);
  assert.equal((await ring.authenticate('sk-llmux-secret-1'))?.name, 'dev');
  assert.equal(await ring.authenticate('sk-llmux-secret-2'), undefined);
  assert.equal(await ring.authenticate(undefined), undefined);
  assert.equal(JSON.stringify([...Object.values(ring)]).includes('sk-llmux-secret-1'), false);
});

test('model allow-lists support exact names and * patterns', () => {
  const key = { name: 'k', models: ['gpt-4.1', 'local/*', '*-mini'] };
  assert.equal(keyAllowsModel(key, 'gpt-4.1'), true);
  assert.equal(keyAllowsModel(key, 'gpt-4.1-nano'), false);
  assert.equal(keyAllowsModel(key, 'local/qwen3'), true);
  assert.equal(keyAllowsModel(key, 'o4-mini'), true);
  assert.equal(keyAllowsModel(key, 'demo'), false);
});
