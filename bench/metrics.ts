/**
 * Cost of the Prometheus metrics: µs of CPU per settled request for the counters (`observe`, what
 * every request pays), and ms per scrape (`GET /metrics` rendering) with many series: MODELS public
 * models × KEYS keys, each pair having served requests (tokens of 4 kinds and cost per model × key),
 * over 2 deployments per model.
 * Run: node --import tsx bench/metrics.ts   (BENCH_MODELS 50, BENCH_KEYS 100, BENCH_SCRAPES 20)
 */
import { createGatewayMetrics } from '../src/observability/metrics.ts';
import type { ObservedRequest } from '../src/observability/metrics-labels.ts';

const MODELS = Number(process.env.BENCH_MODELS ?? 50);
const KEYS = Number(process.env.BENCH_KEYS ?? 100);
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 20);
const OBSERVES = Number(process.env.BENCH_ITERATIONS ?? 200_000);

const models = Array.from({ length: MODELS }, (_, index) => `model-${index}`);
const deployments = models.flatMap((model) => [`${model}#0`, `${model}#1`]);
const publicModels = new Set(models);

function record(index: number): ObservedRequest {
  const model = models[index % MODELS] as string;
  const key = Math.floor(index / MODELS) % KEYS;
  const deployment = `${model}#${index % 2}`;
  return {
    keyName: `key-${key}`,
    team: `team-${key % 10}`,
    publicModel: model,
    provider: index % 2 === 0 ? 'openai' : 'azure',
    status: 200,
    latencyMs: 800 + (index % 5000),
    ttftMs: 200 + (index % 700),
    inputTokens: 1200,
    outputTokens: 300,
    cachedInputTokens: 400,
    reasoningTokens: 50,
    costMicros: 4200,
    surface: 'openai-chat',
    errorCode: null,
    attemptLog: [{ provider: index % 2 === 0 ? 'openai' : 'azure', deployment, outcome: 'ok' }],
  };
}

const metrics = createGatewayMetrics({
  keyLabel: true,
  sources: {
    inFlight: () => 12,
    requestLog: () => ({ buffered: 40, dropped: 0 }),
    deploymentStates: () => deployments.map((deployment) => ({ deployment, state: 'closed' as const })),
    isPublicModel: (name) => publicModels.has(name),
  },
});

// Every model × key pair once: the series a long-running gateway with this traffic holds.
for (let index = 0; index < MODELS * KEYS; index++) metrics.observe(record(index));

const records = Array.from({ length: 10_000 }, (_, index) => record(index * 7919));
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
for (let index = 0; index < OBSERVES; index++) metrics.observe(records[index % records.length] as ObservedRequest);
const cpu = process.cpuUsage(cpuStart);
const observeWallMs = performance.now() - wallStart;
const cpuPerObserveUs = ((cpu.user + cpu.system) / OBSERVES).toFixed(2);

const scrapeMs: number[] = [];
let bytes = 0;
let lines = 0;
for (let index = 0; index < SCRAPES; index++) {
  const start = performance.now();
  const text = await metrics.render();
  scrapeMs.push(performance.now() - start);
  bytes = text.length;
  lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}
scrapeMs.sort((a, b) => a - b);
const at = (q: number) => (scrapeMs[Math.min(scrapeMs.length - 1, Math.floor(q * scrapeMs.length))] ?? 0).toFixed(1);

console.log(
  `metrics: ${MODELS} models × ${KEYS} keys, ${lines} samples, ${(bytes / 1024 / 1024).toFixed(1)} MiB per scrape`,
);
console.log(
  `observe (one settled request): ${cpuPerObserveUs} µs CPU each (${OBSERVES} in ${observeWallMs.toFixed(0)} ms)`,
);
console.log(`scrape (render): p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms over ${SCRAPES}`);
