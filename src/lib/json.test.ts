import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nestedDeeperThan } from './json.ts';

describe('nestedDeeperThan', () => {
  it('counts arrays and objects, not scalars', () => {
    assert.equal(nestedDeeperThan('x', 0), false, 'a scalar is level 0');
    assert.equal(nestedDeeperThan([], 0), true, '[] is level 1');
    assert.equal(nestedDeeperThan({ a: [1, { b: 2 }] }, 3), false, 'three levels fit in three');
    assert.equal(nestedDeeperThan({ a: [1, { b: 2 }] }, 2), true, 'three levels exceed two');
  });

  it('stops at the limit on a value nested 1,000,000 levels deep', () => {
    let value: unknown = [];
    for (let i = 0; i < 1_000_000; i++) value = [value];
    assert.equal(nestedDeeperThan(value, 128), true, 'deeper than 128');
  });
});
