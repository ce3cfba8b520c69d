/** Reading an upstream's retry signals: retry-after (seconds, HTTP date), retry-after-ms, x-should-retry. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfter, retryAfterMsFromHeaders, shouldRetryFromHeaders, upstreamRetryFacts } from './retry-after.ts';

describe('retry-after', () => {
  it('seconds (whole or fractional) → ms', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    assert.equal(parseRetryAfter(' 1.5 '), 1500);
    assert.equal(parseRetryAfter('0'), 0);
  });

  it('an HTTP date → ms from now, never negative', () => {
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4000), 6000);
    assert.equal(parseRetryAfter(new Date(1000).toUTCString(), 4000), 0);
  });

  it('garbage, negative, empty or absent → undefined', () => {
    for (const value of ['soon', '-5', '', '   ', undefined, 'NaN', '1e400x']) {
      assert.equal(parseRetryAfter(value), undefined, String(value));
    }
  });

  it('retry-after-ms wins over retry-after; a bad retry-after-ms falls back to retry-after', () => {
    assert.equal(retryAfterMsFromHeaders({ 'retry-after-ms': '250', 'retry-after': '3' }), 250);
    assert.equal(retryAfterMsFromHeaders({ 'retry-after-ms': '12.5' }), 12.5);
    assert.equal(retryAfterMsFromHeaders({ 'retry-after': '3' }), 3000);
    assert.equal(retryAfterMsFromHeaders({ 'retry-after-ms': '', 'retry-after': '1.5' }), 1500);
    assert.equal(retryAfterMsFromHeaders({ 'retry-after-ms': 'later', 'retry-after': '2' }), 2000);
    assert.equal(retryAfterMsFromHeaders({ 'retry-after-ms': '-1' }), undefined);
    assert.equal(retryAfterMsFromHeaders({ 'retry-after': ['4', '9'] }), 4000);
    assert.equal(retryAfterMsFromHeaders({}), undefined);
  });
});

describe('x-should-retry', () => {
  it("'true' forces a retry, 'false' forbids it, anything else says nothing", () => {
    assert.equal(shouldRetryFromHeaders({ 'x-should-retry': 'true' }), true);
    assert.equal(shouldRetryFromHeaders({ 'x-should-retry': 'false' }), false);
    assert.equal(shouldRetryFromHeaders({ 'x-should-retry': 'yes' }), undefined);
    assert.equal(shouldRetryFromHeaders({}), undefined);
  });

  it('wins over the status both ways; the status decides without it', () => {
    assert.equal(upstreamRetryFacts(400, { 'x-should-retry': 'true' }).retryable, true);
    assert.equal(upstreamRetryFacts(503, { 'x-should-retry': 'false' }).retryable, false);
    assert.equal(upstreamRetryFacts(400, {}).retryable, false);
    assert.equal(upstreamRetryFacts(503, {}).retryable, true);
    assert.equal(upstreamRetryFacts(429, {}).retryable, true);
  });

  it('carries the wait, and no retryAfterMs key when there is none', () => {
    assert.deepEqual(upstreamRetryFacts(429, { 'retry-after': '2' }), { retryable: true, retryAfterMs: 2000 });
    assert.deepEqual(upstreamRetryFacts(500, {}), { retryable: true });
  });
});
