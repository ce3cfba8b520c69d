/** A reader of the Prometheus text exposition format (what a scraper parses), for asserting exact values. */
import assert from 'node:assert/strict';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** `# TYPE` of each metric family. */
  types: Map<string, string>;
  /** The samples of `name` whose labels include every pair of `labels`. */
  find(name: string, labels?: Record<string, string>): Sample[];
  /** The value of the one sample of `name` with exactly `labels`; undefined when there is none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** The sum over the samples of `name` whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/y;

export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type?.[1] && type[2]) types.set(type[1], type[2]);
      continue;
    }
    const match = SAMPLE.exec(line);
    assert.ok(match?.[1] && match[3] !== undefined, `a sample line: ${line}`);
    samples.push({ name: match[1], labels: parseLabels(match[2] ?? '', line), value: parseValue(match[3]) });
  }
  const includes = (sample: Sample, labels: Record<string, string>) =>
    Object.entries(labels).every(([name, value]) => sample.labels[name] === value);
  const find = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((sample) => sample.name === name && includes(sample, labels));
  return {
    samples,
    types,
    find,
    value(name, labels = {}) {
      const exact = find(name, labels).filter(
        (sample) => Object.keys(sample.labels).length === Object.keys(labels).length,
      );
      assert.ok(exact.length <= 1, `at most one ${name} sample with exactly ${JSON.stringify(labels)}`);
      return exact[0]?.value;
    },
    sum: (name, labels = {}) => find(name, labels).reduce((total, sample) => total + sample.value, 0),
  };
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const at = LABEL.lastIndex;
    const match = LABEL.exec(text);
    assert.ok(match?.[1] !== undefined && match[2] !== undefined, `labels at ${at} of: ${line}`);
    labels[match[1]] = match[2].replace(/\\(.)/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  assert.ok(!Number.isNaN(value) || text === 'NaN' || text === 'Nan', `a number: ${text}`);
  return value;
}
