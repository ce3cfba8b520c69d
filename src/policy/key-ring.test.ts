import assert from 'node:assert/strict';
import { test } from 'node:test';
import { staticKeyEntry } from './key-entries.ts';
import { hashKeySecret, KeyRing, keyAllowsModel } from './key-ring.ts';

const entry = (name: string) => staticKeyEntry({ name, key: 'unused', models: ['*'] }, undefined);

test('finds a key by its secret and never keeps the secret itself', () => {
  const ring = new KeyRing([{ hash: hashKeySecret('sk-llmux-secret-1'), entry: entry('dev') }]);
  assert.equal(ring.find('sk-llmux-secret-1')?.name, 'dev', 'the right secret finds its key');
  assert.equal(ring.find('sk-llmux-secret-2'), undefined, 'another secret finds nothing');
  assert.equal(ring.find(''), undefined, 'an empty secret finds nothing');
  assert.ok(!JSON.stringify([...Object.values(ring)]).includes('sk-llmux-secret-1'), 'the secret is not held');
});

test('hashKeySecret is hex SHA-256', () => {
  assert.equal(hashKeySecret('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('model allow-lists support exact names and * patterns', () => {
  const key = { models: ['gpt-4.1', 'local/*', '*-mini'], team: undefined };
  assert.equal(keyAllowsModel(key, 'gpt-4.1'), true);
  assert.equal(keyAllowsModel(key, 'gpt-4.1-nano'), false);
  assert.equal(keyAllowsModel(key, 'local/qwen3'), true);
  assert.equal(keyAllowsModel(key, 'o4-mini'), true);
  assert.equal(keyAllowsModel(key, 'demo'), false);
});

test("a team's allow-list narrows its keys' lists", () => {
  const key = { models: ['*'], team: { name: 'research', models: ['gpt-*'], limits: {} } };
  assert.equal(keyAllowsModel(key, 'gpt-4.1'), true, 'both lists allow it');
  assert.equal(keyAllowsModel(key, 'claude-sonnet'), false, 'the team does not allow it');
  assert.equal(keyAllowsModel({ ...key, models: ['demo'] }, 'gpt-4.1'), false, 'the key does not allow it');
});
