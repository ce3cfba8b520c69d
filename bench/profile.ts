/**
 * CPU profile of llmux under the benchmark's load: starts the fake upstream and llmux with
 * `node --cpu-prof`, drives one scenario with wrk (or the Node generator), stops llmux, and prints
 * the top self-time functions (mapped to .ts file:line) and files/packages. Writes bench/profiles/.
 *
 *   node --import tsx bench/profile.ts [route/mode/cN]      e.g. openai/sse/c32 (default), anthropic/json/c32
 *
 * Environment: PROFILE_SECONDS (10), PROFILE_OUT (bench/profiles/<route>-<mode>-c<N>[-limited].md), BENCH_LOADGEN
 * (wrk | node), PROFILE_KEY (plain | limited: the bench's key with rpm + tpm + budget, limits in-process).
 */
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { summarizeProfile } from './lib/cpuprofile.ts';
import { nodeLoadgen, warmUp, wrk, wrkVersion } from './lib/load.ts';
import { type Mode, type Route, requestFor, UPSTREAM_OF } from './lib/matrix.ts';
import { cpuMicros, killAllChildrenSync } from './lib/procs.ts';
import { writeMarkdown } from './lib/report.ts';
import { REPO, startLlmux, startUpstream } from './lib/targets.ts';

const scenario = process.argv[2] ?? 'openai/sse/c32';
const match =
  /^(openai|anthropic|gemini|messages-pass|gemini-pass|responses-pass|messages-translated)\/(json|sse)\/c(\d+)$/.exec(
    scenario,
  );
if (!match) {
  console.error(
    `usage: node --import tsx bench/profile.ts <openai|anthropic|gemini|messages-pass|gemini-pass|responses-pass|messages-translated>/<json|sse>/c<N>  (got "${scenario}")`,
  );
  process.exit(2);
}
const route = match[1] as Route;
const mode = match[2] as Mode;
const connections = Number(match[3]);
const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
const limited = process.env.PROFILE_KEY === 'limited';
const out =
  process.env.PROFILE_OUT ??
  join(REPO, 'bench', 'profiles', `${route}-${mode}-c${connections}${limited ? '-limited' : ''}.md`);

process.on('exit', killAllChildrenSync);

const version = wrkVersion();
const loadgen = process.env.BENCH_LOADGEN !== 'node' && version ? wrk(version) : nodeLoadgen;
const profileDir = mkdtempSync(join(tmpdir(), 'llmux-cpuprof-'));
const upstream = await startUpstream();
const llmux = await startLlmux(upstream.port, [
  '--cpu-prof',
  '--cpu-prof-interval',
  '250',
  '--cpu-prof-dir',
  profileDir,
]);
if (!llmux.routes.includes(UPSTREAM_OF[route])) {
  console.error(`llmux has no ${route} route yet: ${llmux.notes.join(' ')}`);
  process.exit(1);
}
const spec = {
  port: llmux.port,
  request: requestFor(limited ? 'llmux-limited' : 'llmux', route, mode, upstream.port),
  connections,
};
await warmUp({ ...spec, seconds: 3 });
const cpu0 = cpuMicros(llmux.child.pid);
const startUs = Number(process.hrtime.bigint() / 1000n);
const result = await loadgen.run({ ...spec, seconds });
const endUs = Number(process.hrtime.bigint() / 1000n);
const cpuPerReq = (cpuMicros(llmux.child.pid) - cpu0) / result.requests;
await llmux.child.stop(); // SIGTERM: llmux shuts down cleanly and V8 writes the profile
await upstream.child.stop();

// One profile per thread (CPU.<date>.<time>.<pid>.<thread>.<seq>); thread 0 is the main thread,
// the other is tsx's module-loader worker.
const files = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'));
const file = files.find((name) => name.split('.')[4] === '0') ?? files[0];
if (!file) {
  console.error(`no .cpuprofile written in ${profileDir}:\n${llmux.child.output()}`);
  process.exit(1);
}
let summary = summarizeProfile(join(profileDir, file), REPO, 30, { startUs, endUs });
let windowNote = '(startup and warm-up excluded)';
if (summary.totalMs < seconds * 500) {
  // The measured window did not line up with the profile's clock: fall back to every sample.
  summary = summarizeProfile(join(profileDir, file), REPO, 30);
  windowNote = '(whole process lifetime: the window could not be matched, startup included)';
}
const pct = (value: number) => `${value.toFixed(1)}%`;
const lines = [
  `# llmux CPU profile: ${scenario}${limited ? ', limited key (rpm + tpm + budget, in-process)' : ''}`,
  '',
  `\`${limited ? 'PROFILE_KEY=limited ' : ''}node --import tsx bench/profile.ts ${scenario}\` on ${new Date().toISOString()}, Node ${process.version}: ` +
    `${result.requests} requests in ${result.seconds.toFixed(1)} s with ${loadgen.name} (${result.rps.toFixed(0)} req/s, ` +
    `${cpuPerReq.toFixed(0)} µs CPU/req while profiling at 250 µs sampling, which adds overhead).`,
  `Profile: ${join(profileDir, file)}; ${(summary.totalMs / 1000).toFixed(1)} s of samples ${windowNote}, ` +
    `${pct((100 * summary.idleMs) / summary.totalMs)} idle.`,
  "Self time as a share of non-idle samples. Positions are mapped to the .ts sources through tsx's source maps.",
  '',
  '## Top functions (self time)',
  '',
  '| # | self | function | location |',
  '|---:|---:|---|---|',
  ...summary.functions.map((f, i) => `| ${i + 1} | ${pct(f.selfPct)} | \`${f.name}\` | ${f.location || '(native)'} |`),
  '',
  "## llmux's own functions (inclusive time: self + everything they call)",
  '',
  '| # | inclusive | function | location |',
  '|---:|---:|---|---|',
  ...summary.inclusive.slice(0, 20).map((f, i) => `| ${i + 1} | ${pct(f.selfPct)} | \`${f.name}\` | ${f.location} |`),
  '',
  '## By file / package (self time)',
  '',
  '| self | file or package |',
  '|---:|---|',
  ...summary.files.map((f) => `| ${pct(f.selfPct)} | ${f.name} |`),
];
mkdirSync(dirname(out), { recursive: true });
process.stdout.write(writeMarkdown(out, `${lines.join('\n')}\n`, REPO));
