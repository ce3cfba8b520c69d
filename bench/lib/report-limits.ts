/**
 * The limited-key rows (issue 9) against plain llmux: what checking rpm + tpm + budget costs, in CPU
 * per request and in latency. Targets: in-process ≤ 10% more CPU per request; Redis ≤ +0.3 ms p50.
 */
import { LIMITED_TARGETS, SCENARIOS, scenarioKey, TARGET_LABELS } from './matrix.ts';
import { type Check, check, cpuRatio, fmt, fmtRatio, fmtSigned, type Index } from './report-index.ts';

const PLAIN = 'llmux' as const;
const openai = (mode: 'json' | 'sse', connections: number) => scenarioKey({ route: 'openai', mode, connections });
const p50Ratio: Parameters<Index['paired']>[2] = (x, y) => x.p50Us / y.p50Us;
const p50Added: Parameters<Index['paired']>[2] = (x, y) => x.p50Us - y.p50Us;
const p99Added: Parameters<Index['paired']>[2] = (x, y) => x.p99Us - y.p99Us;
const rpsRatio: Parameters<Index['paired']>[2] = (x, y) => x.rps / y.rps;

export function limitsChecks(index: Index): Check[] {
  const has = (scenario: string, target: (typeof LIMITED_TARGETS)[number] | typeof PLAIN) =>
    index.runs(scenario, target).length > 0;
  const vsPlain = (scenario: string, target: (typeof LIMITED_TARGETS)[number], combine: typeof cpuRatio) =>
    has(scenario, target) && has(scenario, PLAIN)
      ? index.paired({ scenario, target }, { scenario, target: PLAIN }, combine)
      : undefined;
  const checks: Check[] = [];
  const push = (value: number | undefined, make: (v: number) => Check) => {
    if (value !== undefined) checks.push(make(value));
  };
  for (const mode of ['json', 'sse'] as const) {
    push(vsPlain(openai(mode, 32), 'llmux-limited', cpuRatio), (v) =>
      check(
        `limited key (in-process) CPU/req ÷ llmux CPU/req, passthrough ${mode} @32`,
        v,
        'ratio',
        '≤ 1.10×',
        (r) => r <= 1.1,
      ),
    );
  }
  for (const mode of ['json', 'sse'] as const) {
    push(vsPlain(openai(mode, 1), 'llmux-redis', p50Added), (v) =>
      check(`limited key (Redis) p50 − llmux p50, passthrough ${mode} @1`, v, 'us', '≤ 300 µs', (d) => d <= 300),
    );
  }
  for (const mode of ['json', 'sse'] as const) {
    push(vsPlain(openai(mode, 32), 'llmux-redis', cpuRatio), (v) =>
      check(
        `(context) limited key (Redis) CPU/req ÷ llmux CPU/req, passthrough ${mode} @32`,
        v,
        'ratio',
        'no target',
        () => true,
      ),
    );
    push(vsPlain(openai(mode, 1), 'llmux-limited', p50Added), (v) =>
      check(
        `(context) limited key (in-process) p50 − llmux p50, passthrough ${mode} @1`,
        v,
        'us',
        'no target',
        () => true,
      ),
    );
  }
  return checks;
}

/** One row per scenario and limited target, each figure paired per repeat with the plain llmux run. */
export function limitsSection(index: Index): string[] {
  const rows: string[] = [];
  for (const s of SCENARIOS) {
    const scenario = scenarioKey(s);
    if (index.runs(scenario, PLAIN).length === 0) continue;
    for (const target of LIMITED_TARGETS) {
      if (!s.targets.includes(target) || index.runs(scenario, target).length === 0) continue;
      const a = { scenario, target };
      const b = { scenario, target: PLAIN };
      rows.push(
        `| ${s.mode} | ${s.connections} | ${TARGET_LABELS[target]} | ${fmt(index.med(scenario, target, (r) => r.cpuUsPerReq))} | ` +
          `${fmtRatio(index.paired(a, b, cpuRatio))} | ${fmt(index.med(scenario, target, (r) => r.p50Us))} | ` +
          `${fmtRatio(index.paired(a, b, p50Ratio))} | ${fmtSigned(index.paired(a, b, p50Added))} | ` +
          `${fmtSigned(index.paired(a, b, p99Added))} | ${fmtRatio(index.paired(a, b, rpsRatio))} |`,
      );
    }
  }
  if (rows.length === 0) return [];
  return [
    '',
    '## Limits (issue 9): a key with rpm + tpm + budget, against llmux with a plain key',
    '',
    'Passthrough. Every ratio and difference pairs a limited-key run with the plain llmux run of the same repeat, then',
    'takes the median over repeats. In-process: the same llmux process; Redis: a second llmux process whose limits',
    'and budget live on Redis. Targets: in-process ≤ 1.10× CPU per request (32 connections, where CPU per request is',
    'steady), Redis ≤ +300 µs p50 (1 connection, where p50 is latency, not queueing).',
    '',
    '| mode | conns | target | CPU µs/req | CPU ÷ llmux | p50 µs | p50 ÷ llmux | p50 − llmux µs | p99 − llmux µs | req/s ÷ llmux |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ];
}
