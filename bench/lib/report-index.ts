/** What the report's sections share: runs indexed by scenario and target, paired ratios, checks, number formats. */
import type { TargetId } from './matrix.ts';
import type { RunRecord } from './report.ts';
import { median } from './stats.ts';

export const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
export const fmtSigned = (value: number) =>
  Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(0)}` : '—';
export const fmtRatio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '—');

export class Index {
  readonly #byKey = new Map<string, RunRecord[]>();

  constructor(runs: RunRecord[]) {
    for (const run of runs) {
      const key = `${run.scenario}|${run.target}`;
      const list = this.#byKey.get(key) ?? [];
      list.push(run);
      this.#byKey.set(key, list);
    }
  }

  runs(scenario: string, target: TargetId): RunRecord[] {
    return this.#byKey.get(`${scenario}|${target}`) ?? [];
  }

  /** Median over repeats of a per-repeat pairing of two targets' runs (same scenario or not). */
  paired(
    a: { scenario: string; target: TargetId },
    b: { scenario: string; target: TargetId },
    combine: (x: RunRecord, y: RunRecord) => number,
  ): number {
    const others = new Map(this.runs(b.scenario, b.target).map((run) => [run.repeat, run]));
    const values: number[] = [];
    for (const run of this.runs(a.scenario, a.target)) {
      const other = others.get(run.repeat);
      if (other) values.push(combine(run, other));
    }
    return median(values);
  }

  med(scenario: string, target: TargetId, pick: (run: RunRecord) => number): number {
    return median(this.runs(scenario, target).map(pick));
  }
}

export const cpuRatio = (x: RunRecord, y: RunRecord) => x.cpuUsPerReq / y.cpuUsPerReq;
export const rpsRatio = (x: RunRecord, y: RunRecord) => x.rps / y.rps;

export interface Check {
  what: string;
  value: number;
  unit: 'ratio' | 'us' | 'mb';
  target: string;
  met: boolean | undefined;
}

export function check(
  what: string,
  value: number,
  unit: Check['unit'],
  target: string,
  ok: (v: number) => boolean,
): Check {
  return { what, value, unit, target, met: Number.isFinite(value) ? ok(value) : undefined };
}
