import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExposition } from '../../test/support/prometheus.ts';
import { CounterFamily, HistogramFamily } from './metric-families.ts';

test('label values are escaped once per series; the same values count into the same series', () => {
  const family = new CounterFamily('llmux_x_total', 'A help text with a \\ and a\nnewline.', ['key', 'team']);
  const awkward = 'a "quoted"\\name\nwith a newline';
  family.inc([awkward, 't'], 2);
  family.inc([awkward, 't'], 3);
  family.inc(['plain', 't']);
  const out: string[] = [];
  family.render(out);
  const text = out.join('');
  assert.ok(
    text.startsWith('# HELP llmux_x_total A help text with a \\\\ and a\\nnewline.\n# TYPE llmux_x_total counter\n'),
    text,
  );
  const scrape = parseExposition(text);
  assert.equal(scrape.value('llmux_x_total', { key: awkward, team: 't' }), 5);
  assert.equal(scrape.value('llmux_x_total', { key: 'plain', team: 't' }), 1);
  assert.equal(scrape.samples.length, 2);
});

test('histograms: cumulative buckets, +Inf, sum and count; a value on a bound falls in that bucket', () => {
  const family = new HistogramFamily('llmux_y_seconds', 'h', ['model'], [1, 0.5, 5]);
  for (const value of [0.5, 0.7, 5, 9]) family.observe(['m'], value);
  const out: string[] = [];
  family.render(out);
  const scrape = parseExposition(out.join(''));
  const bucket = (le: string) => scrape.value('llmux_y_seconds_bucket', { model: 'm', le });
  assert.deepEqual([bucket('0.5'), bucket('1'), bucket('5'), bucket('+Inf')], [1, 2, 3, 4]);
  assert.equal(scrape.value('llmux_y_seconds_sum', { model: 'm' }), 15.2);
  assert.equal(scrape.value('llmux_y_seconds_count', { model: 'm' }), 4);
  assert.equal(scrape.types.get('llmux_y_seconds'), 'histogram');
});
