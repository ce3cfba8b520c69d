/**
 * Cost of the limits engine per request: a key with rpm + tpm + maxConcurrent + budget in a team
 * with rpm + tpm + budget (two subjects, every limit). In-process: µs of CPU per admit and per
 * admit + settle. Redis (127.0.0.1:6379 or LLMUX_REDIS_URL): latency of one admit and one settle
 * call, one at a time (p50 / p99), and admits per second with 32 in flight.
 * Run: node --import tsx bench/limits.ts   (BENCH_ITERATIONS to change)
 */
import { randomBytes } from 'node:crypto';
import { MemoryLimiter } from '../src/policy/limits/memory-limiter.ts';
import { RedisLimiter } from '../src/policy/limits/redis-limiter.ts';
import type { AdmitRequest, Limiter, LimitSubject } from '../src/policy/limits/types.ts';
import { connectRedis } from '../src/store/redis/connect.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const REDIS_URL = process.env.LLMUX_REDIS_URL ?? 'redis://127.0.0.1:6379';
const spendSource = async (): Promise<number> => 0;

const subjects: LimitSubject[] = [
  {
    kind: 'key',
    id: 'bench-key',
    rules: { rpm: 1e9, tpm: 1e12, maxConcurrent: 1000, budget: { micros: 1e15, period: 'month' } },
  },
  { kind: 'team', id: 'bench-team', rules: { rpm: 1e9, tpm: 1e12, budget: { micros: 1e15, period: 'month' } } },
];
let sequence = 0;
const request = (): AdmitRequest => ({
  requestId: `r${sequence++}`,
  subjects,
  tokens: 1200,
  costMicros: 5000,
  now: Date.now(),
});

async function admitAndSettle(limiter: Limiter): Promise<void> {
  const outcome = await limiter.admit(request());
  if (!outcome.admitted) throw new Error(`denied: ${outcome.limit}`);
  await limiter.settle(outcome.ticket, { tokens: 900, costMicros: 3000 }, Date.now());
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function memory(): Promise<void> {
  const limiter = new MemoryLimiter({ spendSource });
  for (let i = 0; i < 2000; i++) await admitAndSettle(limiter);
  let cpu = process.cpuUsage();
  const tickets = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const outcome = await limiter.admit(request());
    if (outcome.admitted) tickets.push(outcome.ticket);
  }
  const admitCpu = process.cpuUsage(cpu);
  for (const ticket of tickets) await limiter.settle(ticket, { tokens: 900, costMicros: 3000 }, Date.now());
  cpu = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) await admitAndSettle(limiter);
  const bothCpu = process.cpuUsage(cpu);
  const micros = (usage: NodeJS.CpuUsage): string => ((usage.user + usage.system) / ITERATIONS).toFixed(2);
  console.log(`memory: ${micros(admitCpu)} µs CPU per admit, ${micros(bothCpu)} µs per admit + settle`);
}

async function redis(): Promise<void> {
  const client = await connectRedis(REDIS_URL, { commandTimeoutMs: 1000 });
  const prefix = `llmux-bench:${randomBytes(4).toString('hex')}:`;
  const limiter = new RedisLimiter({ client, spendSource, redisTimeoutMs: 1000, keyPrefix: prefix });
  try {
    for (let i = 0; i < 500; i++) await admitAndSettle(limiter);
    const count = Math.min(ITERATIONS, 5000);
    const admits: number[] = [];
    const settles: number[] = [];
    for (let i = 0; i < count; i++) {
      let started = performance.now();
      const outcome = await limiter.admit(request());
      admits.push(performance.now() - started);
      if (!outcome.admitted) throw new Error(`denied: ${outcome.limit}`);
      started = performance.now();
      await limiter.settle(outcome.ticket, { tokens: 900, costMicros: 3000 }, Date.now());
      settles.push(performance.now() - started);
    }
    admits.sort((a, b) => a - b);
    settles.sort((a, b) => a - b);
    const ms = (value: number): string => value.toFixed(3);
    console.log(
      `redis: admit p50 ${ms(percentile(admits, 0.5))} ms, p99 ${ms(percentile(admits, 0.99))} ms; ` +
        `settle p50 ${ms(percentile(settles, 0.5))} ms, p99 ${ms(percentile(settles, 0.99))} ms`,
    );
    const started = performance.now();
    const cpu = process.cpuUsage();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let i = 0; i < count / 32; i++) await admitAndSettle(limiter);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    console.log(
      `redis, 32 in flight: ${Math.round(count / seconds)} admit + settle pairs/s, ` +
        `${((used.user + used.system) / count).toFixed(1)} µs client CPU per pair`,
    );
  } finally {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys);
    }
    client.destroy();
  }
}

await memory();
await redis();
