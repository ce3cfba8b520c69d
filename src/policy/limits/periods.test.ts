import assert from 'node:assert/strict';
import { test } from 'node:test';
import { periodEnd, periodStart } from './periods.ts';

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

test('periods start and end on UTC calendar boundaries', () => {
  const thursday = Date.parse('2027-01-14T23:59:59.999Z');
  assert.equal(iso(periodStart('day', thursday)), '2027-01-14T00:00:00.000Z');
  assert.equal(iso(periodEnd('day', thursday)), '2027-01-15T00:00:00.000Z');
  assert.equal(iso(periodStart('week', thursday)), '2027-01-11T00:00:00.000Z', 'weeks start on Monday');
  assert.equal(iso(periodEnd('week', thursday)), '2027-01-18T00:00:00.000Z');
  assert.equal(iso(periodStart('month', thursday)), '2027-01-01T00:00:00.000Z');
  assert.equal(iso(periodEnd('month', thursday)), '2027-02-01T00:00:00.000Z');
  assert.equal(periodStart('total', thursday), 0);
  assert.equal(periodEnd('total', thursday), undefined, 'total never resets');
});

test('edges: a Monday and a Sunday, a leap February, December into January', () => {
  assert.equal(iso(periodStart('week', Date.parse('2027-01-18T00:00:00Z'))), '2027-01-18T00:00:00.000Z');
  assert.equal(iso(periodStart('week', Date.parse('2027-01-17T23:00:00Z'))), '2027-01-11T00:00:00.000Z');
  assert.equal(iso(periodEnd('month', Date.parse('2028-02-29T12:00:00Z'))), '2028-03-01T00:00:00.000Z');
  assert.equal(iso(periodEnd('month', Date.parse('2026-12-31T12:00:00Z'))), '2027-01-01T00:00:00.000Z');
  assert.equal(iso(periodStart('week', Date.parse('2027-01-01T12:00:00Z'))), '2026-12-28T00:00:00.000Z');
});
