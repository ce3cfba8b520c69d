/** Aggregation over repeats and the Markdown report. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Mode,
  ROUTE_LABELS,
  type Route,
  SCENARIOS,
  type Scenario,
  SURFACE_ROUTES,
  scenarioKey,
  TARGET_LABELS,
  type TargetId,
  TTFT_PROBES,
} from './matrix.ts';
import { type Check, check, cpuRatio, fmt, fmtRatio, fmtSigned, Index, rpsRatio } from './report-index.ts';
import { limitsChecks, limitsSection } from './report-limits.ts';
import { surfaceIntro, surfacesChecks } from './report-surfaces.ts';
import { median, minMax } from './stats.ts';

export interface RunRecord {
  scenario: string;
  target: TargetId;
  repeat: number;
  requests: number;
  rps: number;
  p50Us: number;
  p99Us: number;
  /** NaN for `direct` (no gateway). */
  cpuUsPerReq: number;
  peakMb: number;
  errors: number;
}

export interface TtftRecord {
  route: Route;
  target: TargetId;
  repeat: number;
  p50Us: number;
  p90Us: number;
}

export interface ReportInput {
  runs: RunRecord[];
  ttft: TtftRecord[];
  idleRssMb: Partial<Record<TargetId, number>>;
  repeats: number;
  notes: string[];
  header: string[];
  method: string[];
}

function key(route: Route, mode: Mode, connections: number): string {
  return scenarioKey({ route, mode, connections });
}

function scenarioTable(index: Index, scenarios: Scenario[]): string[] {
  const out = [
    '| mode | conns | target | req/s (range) | p50 µs | p99 µs | added p50 µs | added p99 µs | CPU µs/req (range) | CPU ÷ bare | peak RSS MB | errors |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of scenarios) {
    const k = scenarioKey(s);
    for (const target of s.targets) {
      const runs = index.runs(k, target);
      if (runs.length === 0) continue;
      const [rpsLo, rpsHi] = minMax(runs.map((r) => r.rps));
      const [cpuLo, cpuHi] = minMax(runs.map((r) => r.cpuUsPerReq));
      const hasDirect = s.targets.includes('direct') && target !== 'direct';
      const direct = { scenario: k, target: 'direct' as const };
      const addedP50 = hasDirect
        ? index.paired({ scenario: k, target }, direct, (x, y) => x.p50Us - y.p50Us)
        : Number.NaN;
      const addedP99 = hasDirect
        ? index.paired({ scenario: k, target }, direct, (x, y) => x.p99Us - y.p99Us)
        : Number.NaN;
      const bare = s.targets.includes('bare') && target !== 'bare' && target !== 'direct';
      const ratio = bare
        ? index.paired({ scenario: k, target }, { scenario: k, target: 'bare' }, cpuRatio)
        : Number.NaN;
      const errors = runs.reduce((sum, r) => sum + r.errors, 0);
      const cpu = index.med(k, target, (r) => r.cpuUsPerReq);
      out.push(
        `| ${s.mode} | ${s.connections} | ${TARGET_LABELS[target]} | ${fmt(index.med(k, target, (r) => r.rps))} (${fmt(rpsLo)}–${fmt(rpsHi)}) | ` +
          `${fmt(index.med(k, target, (r) => r.p50Us))} | ${fmt(index.med(k, target, (r) => r.p99Us))} | ${fmtSigned(addedP50)} | ${fmtSigned(addedP99)} | ` +
          `${Number.isFinite(cpu) ? `${fmt(cpu)} (${fmt(cpuLo)}–${fmt(cpuHi)})` : '—'} | ${fmtRatio(ratio)} | ` +
          `${target === 'direct' ? '—' : fmt(index.med(k, target, (r) => r.peakMb))} | ${errors === 0 ? '0' : `**${errors}**`} |`,
      );
    }
  }
  return out;
}

export function buildReport(input: ReportInput): string {
  const index = new Index(input.runs);
  const has = (scenario: string, target: TargetId) => index.runs(scenario, target).length > 0;
  const checks: Check[] = [];

  for (const connections of [32, 1]) {
    for (const mode of ['json', 'sse'] as const) {
      const k = key('openai', mode, connections);
      if (!has(k, 'llmux') || !has(k, 'bare')) continue;
      const value = index.paired({ scenario: k, target: 'llmux' }, { scenario: k, target: 'bare' }, cpuRatio);
      checks.push(
        check(`llmux CPU/req ÷ bare proxy, passthrough ${mode} @${connections}`, value, 'ratio', '≤ 2×', (v) => v <= 2),
      );
    }
  }
  for (const route of ['anthropic', 'gemini'] as const) {
    for (const mode of ['json', 'sse'] as const) {
      const k = key(route, mode, 32);
      if (!has(k, 'llmux') || !has(k, 'bare')) continue;
      const value = index.paired({ scenario: k, target: 'llmux' }, { scenario: k, target: 'bare' }, cpuRatio);
      checks.push(
        check(
          `llmux CPU/req ÷ bare proxy, → ${route} ${mode} @32 (bare carries the ${route} bytes)`,
          value,
          'ratio',
          '≤ 3×',
          (v) => v <= 3,
        ),
      );
      const vsPassthrough = index.paired(
        { scenario: k, target: 'llmux' },
        { scenario: key('openai', mode, 32), target: 'bare' },
        cpuRatio,
      );
      checks.push(
        check(
          `llmux CPU/req ÷ bare proxy, → ${route} ${mode} @32 vs bare on OpenAI passthrough`,
          vsPassthrough,
          'ratio',
          '≤ 3×',
          (v) => v <= 3,
        ),
      );
    }
  }
  for (const route of ['openai', 'anthropic', 'gemini'] as const) {
    for (const mode of ['json', 'sse'] as const) {
      const k = key(route, mode, 32);
      if (!has(k, 'llmux') || !has(k, 'portkey')) continue;
      const value = index.paired({ scenario: k, target: 'llmux' }, { scenario: k, target: 'portkey' }, rpsRatio);
      checks.push(check(`llmux req/s ÷ Portkey req/s, ${route} ${mode} @32`, value, 'ratio', '≥ 5×', (v) => v >= 5));
    }
  }
  // On a small machine the load generator and the upstream share the CPUs with the gateway, which
  // compresses throughput ratios; CPU per request says what each gateway would do with a core of its own.
  for (const route of ['openai', 'anthropic', 'gemini'] as const) {
    for (const mode of ['json', 'sse'] as const) {
      const k = key(route, mode, 32);
      if (!has(k, 'llmux') || !has(k, 'portkey')) continue;
      const value = index.paired({ scenario: k, target: 'portkey' }, { scenario: k, target: 'llmux' }, cpuRatio);
      checks.push(
        check(
          `(context) Portkey CPU/req ÷ llmux CPU/req, ${route} ${mode} @32 (req/s per core)`,
          value,
          'ratio',
          '≥ 5×',
          () => true,
        ),
      );
    }
  }
  const ttftAdded = (route: Route, target: TargetId, baseline: TargetId = 'direct') => {
    const base = new Map(
      input.ttft.filter((t) => t.route === route && t.target === baseline).map((t) => [t.repeat, t]),
    );
    const values = input.ttft
      .filter((t) => t.route === route && t.target === target)
      .flatMap((t) => {
        const b = base.get(t.repeat);
        return b ? [t.p50Us - b.p50Us] : [];
      });
    return median(values);
  };
  for (const { route } of TTFT_PROBES) {
    if (!input.ttft.some((t) => t.route === route && t.target === 'llmux')) continue;
    checks.push(
      check(
        `llmux added time to first token (p50), ${route}`,
        ttftAdded(route, 'llmux'),
        'us',
        '< 1000 µs',
        (v) => v < 1000,
      ),
    );
  }
  for (const { route } of TTFT_PROBES) {
    if (!input.ttft.some((t) => t.route === route && t.target === 'bare')) continue;
    checks.push(
      check(
        `(context) bare proxy added TTFT (p50), ${route}`,
        ttftAdded(route, 'bare'),
        'us',
        'the extra hop',
        () => true,
      ),
    );
    checks.push(
      check(
        `(context) llmux TTFT − bare proxy TTFT (p50), ${route}`,
        ttftAdded(route, 'llmux', 'bare'),
        'us',
        'llmux itself',
        () => true,
      ),
    );
  }
  for (const mode of ['json', 'sse'] as const) {
    const k = key('openai', mode, 1);
    if (!has(k, 'llmux') || !has(k, 'bare')) continue;
    const value = index.paired(
      { scenario: k, target: 'llmux' },
      { scenario: k, target: 'bare' },
      (x, y) => x.p50Us - y.p50Us,
    );
    checks.push(
      check(`(context) llmux p50 − bare proxy p50, passthrough ${mode} @1`, value, 'us', 'llmux itself', () => true),
    );
  }
  if (input.idleRssMb.llmux !== undefined) {
    checks.push(check('llmux idle RSS after startup', input.idleRssMb.llmux, 'mb', '< 100 MB', (v) => v < 100));
  }
  // Context, not a target: the issue's premise that Portkey costs ~13× the bare proxy.
  for (const mode of ['json', 'sse'] as const) {
    const k = key('openai', mode, 32);
    if (!has(k, 'portkey') || !has(k, 'bare')) continue;
    const value = index.paired({ scenario: k, target: 'portkey' }, { scenario: k, target: 'bare' }, cpuRatio);
    checks.push(
      check(
        `(context) Portkey CPU/req ÷ bare proxy, passthrough ${mode} @32`,
        value,
        'ratio',
        '~13× (issue)',
        () => true,
      ),
    );
  }

  checks.push(...limitsChecks(index));
  checks.push(...surfacesChecks(index));

  const lines: string[] = [...input.header, '', '## Targets', ''];
  lines.push('| ratio | value | target | met |', '|---|---:|---|---|');
  for (const c of checks) {
    const value =
      c.unit === 'ratio' ? fmtRatio(c.value) : c.unit === 'us' ? `${fmt(c.value)} µs` : `${fmt(c.value, 1)} MB`;
    const met = c.what.startsWith('(context)') ? '' : c.met === undefined ? 'n/a' : c.met ? 'yes' : '**no**';
    lines.push(`| ${c.what} | ${value} | ${c.target} | ${met} |`);
  }

  for (const route of ['openai', 'anthropic', 'gemini', ...SURFACE_ROUTES] as const) {
    const scenarios = SCENARIOS.filter((s) => s.route === route);
    const table = scenarioTable(index, scenarios);
    if (table.length <= 2) continue;
    lines.push('', `## ${ROUTE_LABELS[route]}`, '', ...surfaceIntro(route), ...table);
  }
  lines.push(...limitsSection(index));

  if (input.ttft.length > 0) {
    lines.push(
      '',
      '## Time to first token (1 connection, streaming)',
      '',
      'From just before the request is sent to the arrival of the first SSE event that carries text; the fake upstream',
      'pauses after that event, so a gateway that buffers shows the pause. Direct = the upstream in its own protocol.',
      '',
      '| route | target | TTFT p50 µs | TTFT p90 µs | added p50 µs (vs direct) | added p50 µs (vs bare proxy) |',
      '|---|---|---:|---:|---:|---:|',
    );
    for (const { route, targets } of TTFT_PROBES) {
      for (const target of targets) {
        const records = input.ttft.filter((t) => t.route === route && t.target === target);
        if (records.length === 0) continue;
        const added = target === 'direct' ? Number.NaN : ttftAdded(route, target);
        const overBare =
          target === 'direct' || target === 'bare' || !targets.includes('bare')
            ? Number.NaN
            : ttftAdded(route, target, 'bare');
        lines.push(
          `| ${route} | ${TARGET_LABELS[target]} | ${fmt(median(records.map((r) => r.p50Us)))} | ${fmt(median(records.map((r) => r.p90Us)))} | ${fmtSigned(added)} | ${fmtSigned(overBare)} |`,
        );
      }
    }
  }

  lines.push(
    '',
    '## Memory',
    '',
    '| target | idle RSS after startup MB | peak RSS MB (VmHWM, max over scenarios) |',
    '|---|---:|---:|',
  );
  for (const target of ['bare', 'llmux', 'llmux-redis', 'portkey'] as const) {
    // The in-process limited-key rows run in the plain llmux process.
    const peaks = input.runs
      .filter((r) => r.target === target || (target === 'llmux' && r.target === 'llmux-limited'))
      .map((r) => r.peakMb);
    if (input.idleRssMb[target] === undefined && peaks.length === 0) continue;
    lines.push(
      `| ${TARGET_LABELS[target]} | ${fmt(input.idleRssMb[target] ?? Number.NaN, 1)} | ${fmt(minMax(peaks)[1], 1)} |`,
    );
  }

  if (input.notes.length > 0) lines.push('', '## Notes', '', ...input.notes.map((n) => `- ${n}`));
  lines.push('', '## Method', '', ...input.method);
  return `${lines.join('\n')}\n`;
}

/**
 * Writes a Markdown report formatted the way the project's `biome check` wants it (padded tables),
 * so that a committed report passes `npm run lint`; returns the text as written.
 */
export function writeMarkdown(path: string, text: string, repoRoot: string): string {
  writeFileSync(path, text);
  const biome = join(repoRoot, 'node_modules', '.bin', 'biome');
  if (!existsSync(biome)) return text;
  try {
    execFileSync(biome, ['format', '--write', path], { cwd: repoRoot, stdio: 'ignore' });
    return readFileSync(path, 'utf8');
  } catch {
    return text; // outside the files biome handles: left as generated
  }
}
