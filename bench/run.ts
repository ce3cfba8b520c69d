/**
 * Gateway benchmark: fake upstream, bare reverse proxy (the floor), llmux and Portkey's gateway, on
 * loopback, each in its own process. Writes bench/RESULTS.md and prints the same report.
 *
 *   npm run bench
 *
 * Environment: BENCH_SECONDS (5: a 32-connection run; 1-connection runs take 40% of it, whole seconds),
 * BENCH_REPEATS (3), BENCH_WARMUP_SECONDS (0.3), BENCH_LOADGEN (wrk | node; wrk when installed),
 * BENCH_TTFT_SAMPLES (100), BENCH_GAP_MS (5), BENCH_SSE_MODE (burst | events), BENCH_ONLY
 * (regexp over "route/mode/cN target"), BENCH_OUT (bench/RESULTS.md), BENCH_LLMUX (dist, the default: the
 * compiled build `npm start` runs, rebuilt first; src: the sources through tsx, as `node bin/llmux.js serve`),
 * BENCH_REDIS_URL (redis://127.0.0.1:6379/9: the limited-key Redis rows; emptied with FLUSHDB at start).
 * Benchmarks are not tests: nothing here fails on numbers.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { BENCH_REDIS_URL, limitedKeySpendNotes, startLimitedTargets } from './lib/limited.ts';
import { type LoadGenerator, nodeLoadgen, warmUp, wrk, wrkVersion } from './lib/load.ts';
import {
  isLlmux,
  LIMITED_KEY_LIMITS,
  type Mode,
  type Provider,
  type Route,
  requestFor,
  SCENARIOS,
  scenarioKey,
  TARGET_LABELS,
  type TargetId,
  TTFT_PROBES,
  UPSTREAM_OF,
} from './lib/matrix.ts';
import { checkOnce, probeTtft } from './lib/probe.ts';
import { cpuMicros, killAllChildrenSync, memory, resetPeak, sleep } from './lib/procs.ts';
import { buildReport, type ReportInput, type RunRecord, type TtftRecord, writeMarkdown } from './lib/report.ts';
import {
  ensurePortkey,
  portkeyVersions,
  REPO,
  type Running,
  startBareProxy,
  startLlmux,
  startPortkey,
  startUpstream,
} from './lib/targets.ts';

const num = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const SECONDS = num('BENCH_SECONDS', 5);
const REPEATS = Math.round(num('BENCH_REPEATS', 3));
const WARMUP = num('BENCH_WARMUP_SECONDS', 0.3);
const TTFT_SAMPLES = Math.round(num('BENCH_TTFT_SAMPLES', 60));
const TTFT_ROUNDS = 6;
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined;
const OUT = process.env.BENCH_OUT ?? join(REPO, 'bench', 'RESULTS.md');
/** Raw figures of the last run (bench/results/ is outside biome's files). */
const RAW = process.env.BENCH_OUT
  ? `${OUT.replace(/\.md$/, '')}.json`
  : join(REPO, 'bench', 'results', 'last-run.json');
const LLMUX_ENTRY = process.env.BENCH_LLMUX === 'src' ? 'src' : 'dist';
const secondsFor = (connections: number) => Math.max(1, Math.round(connections === 1 ? SECONDS * 0.4 : SECONDS));

const log = (line: string) => process.stderr.write(`${line}\n`);
const LABEL_WIDTH = Math.max(...Object.values(TARGET_LABELS).map((label) => label.length));
const SCENARIO_WIDTH = Math.max(...SCENARIOS.map((s) => scenarioKey(s).length));

process.on('exit', killAllChildrenSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllChildrenSync();
    process.exit(130);
  });
}

function pickLoadGenerator(notes: string[]): LoadGenerator {
  const wanted = process.env.BENCH_LOADGEN;
  const version = wrkVersion();
  if (wanted === 'node') return nodeLoadgen;
  if (version) return wrk(version);
  notes.push('wrk is not installed (`apt-get install -y wrk`): the Node load generator was used instead.');
  return nodeLoadgen;
}

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '?';
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadavg();
  const notes: string[] = [];
  const loadgen = pickLoadGenerator(notes);
  log(`load generator: ${loadgen.name} ${loadgen.version}`);

  const upstream = await startUpstream();
  log(`fake upstream on :${upstream.port}`);
  const targets: Partial<Record<TargetId, Running>> = { direct: upstream };
  const llmuxRoutes = new Set<Provider>();
  const [bare, llmux, portkey] = await Promise.allSettled([
    startBareProxy(upstream.port),
    startLlmux(upstream.port, [], LLMUX_ENTRY),
    (async () => {
      ensurePortkey(log);
      return startPortkey();
    })(),
  ]);
  if (bare.status === 'fulfilled') targets.bare = bare.value;
  else notes.push(`bare proxy did not start: ${String(bare.reason)}`);
  if (llmux.status === 'fulfilled') {
    targets.llmux = llmux.value;
    for (const route of llmux.value.routes) llmuxRoutes.add(route);
    notes.push(...llmux.value.notes);
  } else {
    notes.push(`llmux did not start: ${String(llmux.reason).slice(0, 800)}`);
  }
  if (portkey.status === 'fulfilled') targets.portkey = portkey.value;
  else notes.push(`Portkey did not start: ${String(portkey.reason).slice(0, 800)}`);
  Object.assign(
    targets,
    await startLimitedTargets(
      llmux.status === 'fulfilled' ? llmux.value : undefined,
      upstream.port,
      LLMUX_ENTRY,
      notes,
    ),
  );

  await sleep(1000);
  const idleRssMb: Partial<Record<TargetId, number>> = {};
  for (const id of ['bare', 'llmux', 'llmux-redis', 'portkey'] as const) {
    const running = targets[id];
    if (running) idleRssMb[id] = memory(running.child.pid).rssMb;
  }
  log(`idle RSS MB: ${JSON.stringify(idleRssMb, (_k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`);

  // Which (target, route, mode) work: one checked request each; a failure skips its rows with a note.
  const usable = new Map<string, boolean>();
  const pairKey = (target: TargetId, route: Route, mode: Mode) => `${target} ${route} ${mode}`;
  for (const s of SCENARIOS) {
    for (const target of s.targets) {
      const k = pairKey(target, s.route, s.mode);
      if (usable.has(k)) continue;
      const running = targets[target];
      if (!running || (isLlmux(target) && !llmuxRoutes.has(UPSTREAM_OF[s.route]))) {
        usable.set(k, false);
        continue;
      }
      const result = await checkOnce(running.port, requestFor(target, s.route, s.mode, upstream.port), s.mode);
      usable.set(k, result.ok);
      if (!result.ok)
        notes.push(`${TARGET_LABELS[target]} ${s.route} ${s.mode}: skipped, check request failed (${result.detail}).`);
    }
  }

  const selected = (s: (typeof SCENARIOS)[number], target: TargetId) =>
    usable.get(pairKey(target, s.route, s.mode)) === true && (!ONLY || ONLY.test(`${scenarioKey(s)} ${target}`));
  const plannedSeconds =
    REPEATS *
    SCENARIOS.reduce(
      (sum, s) => sum + s.targets.filter((t) => selected(s, t)).length * (secondsFor(s.connections) + WARMUP),
      0,
    );
  log(`measuring: ~${Math.round(plannedSeconds)} s of load (+ warm-up and TTFT probes), ${REPEATS} repeats`);

  // JIT warm-up before the first repeat: every (target, route, mode) at 32 connections. A short
  // per-run warm-up alone leaves a slow gateway on a busy machine with too few requests behind it.
  const warmed = new Set<string>();
  for (const s of SCENARIOS) {
    for (const target of s.targets) {
      const k = pairKey(target, s.route, s.mode);
      if (warmed.has(k) || !selected(s, target)) continue;
      warmed.add(k);
      const running = targets[target] as Running;
      const request = requestFor(target, s.route, s.mode, upstream.port);
      await warmUp({ port: running.port, request, connections: 32, seconds: 5 * WARMUP });
    }
  }

  const runs: RunRecord[] = [];
  const ttft: TtftRecord[] = [];
  const peakResettable = new Set<TargetId>();
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    for (const s of SCENARIOS) {
      // Rotate the order of targets per repeat so that none always runs first (or last).
      const order = s.targets.map((_, i) => s.targets[(i + repeat) % s.targets.length] as TargetId);
      for (const target of order) {
        if (!selected(s, target)) continue;
        const running = targets[target] as Running;
        const pid = running.child.pid;
        const request = requestFor(target, s.route, s.mode, upstream.port);
        const spec = { port: running.port, request, connections: s.connections };
        if (resetPeak(pid)) peakResettable.add(target);
        // Warm-up from this process: it takes fractions of a second, wrk does not.
        await warmUp({ ...spec, seconds: WARMUP });
        const cpu0 = cpuMicros(pid);
        const result = await loadgen.run({ ...spec, seconds: secondsFor(s.connections) });
        const cpu1 = cpuMicros(pid);
        const record: RunRecord = {
          scenario: scenarioKey(s),
          target,
          repeat,
          requests: result.requests,
          rps: result.rps,
          p50Us: result.p50Us,
          p99Us: result.p99Us,
          cpuUsPerReq: target === 'direct' || result.requests === 0 ? Number.NaN : (cpu1 - cpu0) / result.requests,
          peakMb: memory(pid).peakMb,
          errors: result.errors,
        };
        runs.push(record);
        log(
          `[${repeat + 1}/${REPEATS}] ${scenarioKey(s).padEnd(SCENARIO_WIDTH)} ${TARGET_LABELS[target].padEnd(LABEL_WIDTH)} ` +
            `${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50Us.toFixed(0).padStart(5)} µs  p99 ${result.p99Us.toFixed(0).padStart(6)} µs` +
            `${Number.isFinite(record.cpuUsPerReq) ? `  CPU ${record.cpuUsPerReq.toFixed(0).padStart(5)} µs/req` : ''}` +
            `${result.errors > 0 ? `  errors ${result.errors}` : ''}`,
        );
      }
    }
    for (const { route, targets: probeTargets } of TTFT_PROBES) {
      const order = probeTargets
        .map((_, i) => probeTargets[(i + repeat) % probeTargets.length] as TargetId)
        .filter((target) => usable.get(pairKey(target, route, 'sse')) === true)
        .filter((target) => !ONLY || ONLY.test(`${route}/ttft ${target}`));
      if (order.length === 0) continue;
      const results = await probeTtft(
        order.map((target) => ({
          id: target,
          port: (targets[target] as Running).port,
          request: requestFor(target, route, 'sse', upstream.port, true),
        })),
        TTFT_SAMPLES,
        TTFT_ROUNDS,
        5,
      );
      for (const target of order) {
        const r = results.get(target);
        if (r === undefined || r instanceof Error) {
          notes.push(`TTFT probe ${TARGET_LABELS[target]} ${route} failed: ${r?.message ?? 'no result'}`);
          continue;
        }
        ttft.push({ route, target, repeat, p50Us: r.p50Us, p90Us: r.p90Us });
        log(
          `[${repeat + 1}/${REPEATS}] ${`${route}/ttft`.padEnd(SCENARIO_WIDTH)} ${TARGET_LABELS[target].padEnd(LABEL_WIDTH)} TTFT p50 ${r.p50Us.toFixed(0)} µs`,
        );
      }
    }
    log(`repeat ${repeat + 1} done at ${Math.round((Date.now() - started) / 1000)} s`);
  }

  const elapsed = Math.round((Date.now() - started) / 1000);
  const loadAtEnd = loadavg();
  for (const target of ['bare', 'llmux', 'llmux-redis', 'portkey'] as const) {
    if (targets[target] && !peakResettable.has(target) && runs.some((r) => r.target === target)) {
      notes.push(`${TARGET_LABELS[target]}: /proc/PID/clear_refs not writable, peak RSS is the process lifetime peak.`);
    }
  }
  if (runs.some((r) => r.target === 'llmux-limited' || r.target === 'llmux-redis'))
    notes.push(...(await limitedKeySpendNotes(targets)));
  for (const target of ['bare', 'llmux', 'llmux-redis', 'portkey'] as const) await targets[target]?.child.stop();
  await upstream.child.stop();

  const command = [
    ...[
      'BENCH_SECONDS',
      'BENCH_REPEATS',
      'BENCH_LOADGEN',
      'BENCH_ONLY',
      'BENCH_SSE_MODE',
      'BENCH_WARMUP_SECONDS',
      'BENCH_TTFT_SAMPLES',
      'BENCH_LLMUX',
      'BENCH_REDIS_URL',
    ]
      .filter((name) => process.env[name] !== undefined)
      .map((name) => `${name}=${process.env[name]}`),
    'npm run bench',
  ].join(' ');
  const cpuModel = cpus()[0]?.model ?? '?';
  const kernel = (() => {
    try {
      return execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
    } catch {
      return '?';
    }
  })();
  const pk = portkeyVersions();
  const header = [
    '# llmux benchmark results',
    '',
    `Generated by \`${command}\` on ${new Date().toISOString()} (${elapsed} s).`,
    '',
    `- Machine: ${cpus().length} CPUs (\`nproc\`), ${cpuModel}, Linux ${kernel}; Node ${process.version}.`,
    `- Load average (1/5/15 min) at start ${loadAtStart.map((v) => v.toFixed(2)).join(' / ')}, at end ${loadAtEnd
      .map((v) => v.toFixed(2))
      .join(' / ')}: the machine is shared, so compare ratios, not absolutes.`,
    `- Load generator: ${loadgen.name} ${loadgen.version}, 1 thread; ${SECONDS} s per 32-connection run, ${secondsFor(1)} s per 1-connection run, ` +
      `${WARMUP} s warm-up before each (and ${5 * WARMUP} s per path at 32 connections before the first repeat), ` +
      `${REPEATS} repeats, medians reported (ranges in brackets).`,
    `- llmux entry: ${LLMUX_ENTRY === 'dist' ? '`node dist/cli/main.js serve` (compiled, BENCH_LLMUX=dist)' : '`node bin/llmux.js serve` (sources through tsx)'}.`,
    `- Versions: llmux ${versionOf('../')} (undici ${versionOf('undici')}, fastify ${versionOf('fastify')}); ` +
      `@portkey-ai/gateway ${pk['@portkey-ai/gateway']} with @hono/node-server ${pk['@hono/node-server']}, hono ${pk.hono}.`,
  ];
  const method = [
    '- Every process is separate: the fake upstream (`bench/procs/upstream.mjs`, node:http), the load generator,',
    '  and each gateway. All listen on 127.0.0.1; all gateways stay up for the whole run and are measured one at a time.',
    '- Fake upstream: recorded bodies from `../shared/fixtures` — OpenAI JSON `openai/vercel-ai/openai-text.json` (2.7 KB, as',
    '  recorded), OpenAI SSE `openai-python/e2aad469….bin` (34 events incl. usage chunk and `[DONE]`, 8.8 KB); Anthropic',
    '  `anthropic-text.json` and `anthropic-text.chunks.txt` framed `event: <type>\\ndata: <line>\\n\\n` (12 events);',
    '  Gemini `google-text.json` and `google-text.chunks.txt` framed `data: <line>\\r\\n\\r\\n` (3 events). Streams are written',
    `  ${process.env.BENCH_SSE_MODE === 'events' ? 'one event per event-loop turn (BENCH_SSE_MODE=events)' : 'in one burst (socket corked, one chunk per event); BENCH_SSE_MODE=events spreads them over event-loop turns'}.`,
    '- Request: a ~700 B OpenAI chat completion (system + user message, temperature, max_tokens, user; streams add',
    '  `stream_options.include_usage`). Direct and bare-proxy runs on translated routes send the same request in the',
    "  upstream's own protocol (Anthropic Messages / Gemini generateContent).",
    '- Surfaces (issue 10): the same system + user prompt as an Anthropic Messages body (`max_tokens`, `temperature`,',
    '  `stream`; `x-api-key` + `anthropic-version`) or a Gemini `generateContent` body (`x-goog-api-key`; streams on',
    '  `:streamGenerateContent?alt=sse`), sent to llmux on `/v1/messages` and `/v1beta/models/{model}:…`. Messages →',
    '  Anthropic and Gemini → Gemini are passthrough (the body goes upstream with only `model` rewritten); Messages →',
    '  OpenAI-compatible is translated (llmux calls `/v1/chat/completions` and renders Anthropic events). On these rows',
    "  direct and the bare proxy send the client's own body to the fake upstream, which answers in that protocol.",
    '  Responses → OpenAI (`responses-pass`): a Responses body (`instructions`, `input`, `max_output_tokens`, Bearer key)',
    "  on `/v1/responses`, passed through to the fake upstream's `/v1/responses` (the OpenAI-compatible provider with",
    '  `responsesApi: true`), which answers with `openai-dotnet/HelloWorldStreaming` (raw SSE, 17 events) or',
    '  `openai-reasoning-encrypted-content.1.json`.',
    '- Bare proxy (`bench/procs/bare-proxy.mjs`): node:http server + one undici `Pool`, `Pool.request` with the client',
    '  request streamed in and the response body written through chunk by chunk. The floor: no parsing, no auth, no logs.',
    `- llmux: \`node ${LLMUX_ENTRY === 'dist' ? 'dist/cli/main.js' : 'bin/llmux.js'} serve --config <generated yaml> --port P\` with \`logging.level: warn\`, a temporary SQLite`,
    '  store (the request log is written, batched, as in production), providers openai-compatible / anthropic / gemini',
    '  pointing at the fake upstream, one static key (and the limited key below).',
    `- Limited key (issue 9): a second static key with rpm ${LIMITED_KEY_LIMITS.rpm}, tpm ${LIMITED_KEY_LIMITS.tpm} and a budget`,
    `  of $${LIMITED_KEY_LIMITS.budget.usd} per ${LIMITED_KEY_LIMITS.budget.period}, so high that nothing is refused: its rows measure the cost of checking`,
    '  (admit before the upstream call, settle after). "In-process" is the same llmux process as the plain rows (the',
    `  in-process limiter); "Redis" is a second llmux process with \`redis: ${BENCH_REDIS_URL}\` (a database of its own,`,
    '  FLUSHDB at start; BENCH_REDIS_URL), same config otherwise. Prices of the bench models are set with',
    '  `pricing.models` overrides (list prices) so the budget prices every request.',
    '- Portkey: `@portkey-ai/gateway@1.15.2` installed by the bench into `bench/.portkey` (npm, isolated, with',
    '  `@hono/node-server` overridden to 1.14.1), started as its package does on Node (`build/start-server.js --port=P',
    '  --headless`), routed with `x-portkey-provider` + `x-portkey-custom-host` headers.',
    '- CPU µs/req: utime+stime of the gateway process (all threads, `/proc/PID/stat`) over the measured run ÷ requests',
    '  completed. Peak RSS: `VmHWM` from `/proc/PID/status`, reset before each scenario via `/proc/PID/clear_refs`.',
    '  Idle RSS: `VmRSS` 1 s after the gateway answered its first health check, before any traffic.',
    '- Added latency and the ratios are paired per repeat (same scenario, a minute or two apart) and the median over',
    '  repeats is reported. Added p50/p99 compare with the upstream hit directly at 1 connection (in its own protocol on',
    '  translated routes). CPU ÷ bare on translated routes divides by the bare proxy carrying the same upstream bytes.',
    '- CPU per request at 1 connection is inflated for every gateway (each request wakes idle processes); the',
    '  32-connection figures are the ones to compare. On a loaded machine every extra process hop adds scheduling delay,',
    '  so the bare proxy itself adds latency: "llmux − bare proxy" isolates what llmux adds.',
    `- TTFT: ${TTFT_SAMPLES} sequential streaming requests per target per repeat (after 5 warm-up) on one keep-alive`,
    `  connection each, the targets of a route taking turns in ${TTFT_ROUNDS} rounds; the upstream pauses`,
    `  ${process.env.BENCH_GAP_MS ?? 5} ms after the first text event (models named \`*-gap\`).`,
    '  Every process idles during that pause, so each probe request wakes them all again; on a VM a wake-up costs',
    '  a few hundred µs per hop, which the bare proxy pays too. "vs bare proxy" is the part llmux adds itself; the',
    '  1-connection streaming runs (processes kept busy) bound it as well: their added p50 covers the whole stream.',
    '- Why wrk: it is C, so the load generator takes the least CPU away from the gateways on a 2-CPU machine. Side by',
    '  side (3 repeats, bare proxy and llmux, JSON at 32 connections) its figures were steadier than the Node generator',
    '  (bare proxy CPU/req 161–177 µs vs 143–378 µs) and throughput higher. The Node generator (`BENCH_LOADGEN=node`,',
    '  `bench/procs/loadgen.mjs`: undici Pool with N connections, a separate process) remains as a fallback.',
    '- Not a test: nothing fails on numbers. Profile llmux under the same load with `node --import tsx bench/profile.ts`.',
  ];
  const input: ReportInput = { runs, ttft, idleRssMb, repeats: REPEATS, notes, header, method };
  mkdirSync(dirname(RAW), { recursive: true });
  writeFileSync(RAW, `${JSON.stringify(input, null, 1)}\n`);
  process.stdout.write(`\n${writeMarkdown(OUT, buildReport(input), REPO)}`);
  log(`wrote ${OUT} (raw data: ${RAW})`);
}

/** `--report [file]`: rebuilds the report from a previous run's raw data (after changing report.ts). */
function reportOnly(file: string): void {
  const input = JSON.parse(readFileSync(file, 'utf8')) as ReportInput;
  // JSON has no NaN: the missing CPU figures of `direct` runs come back as null.
  for (const run of input.runs) run.cpuUsPerReq = run.cpuUsPerReq ?? Number.NaN;
  process.stdout.write(writeMarkdown(OUT, buildReport(input), REPO));
  log(`wrote ${OUT} from ${file}`);
}

const reportFlag = process.argv.indexOf('--report');
if (reportFlag !== -1) {
  reportOnly(process.argv[reportFlag + 1] ?? RAW);
  process.exit(0);
}

await main().catch((error: unknown) => {
  log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  killAllChildrenSync();
  process.exit(1);
});
