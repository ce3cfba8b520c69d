/**
 * Cost of the request log journal: CPU per recorded row with the journal on and off, on the real
 * SQLite store (batches of 500 / 1 s, journal synced every 100 ms), at paced rates and flat out.
 * CPU is the whole process (event loop and the thread pool doing write + fdatasync).
 * Run: node --import tsx bench/request-log-journal.ts   (BENCH_SECONDS, BENCH_REPEATS to change)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../src/store/types.ts';
import { makeRequestLogRecord } from '../test/support/store/store-test-records.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const RATES = [1000, 5000];
const FLAT_OUT_ROWS = 200_000;

type Mode = 'off' | 'on';
let nextIndex = 0;

async function withStore<T>(mode: Mode, run: (store: Store) => Promise<T>): Promise<T> {
  const directory = mkdtempSync(join(tmpdir(), 'llmux-bench-journal-'));
  try {
    const store = await openSqliteStore(join(directory, 'llmux.db'), {
      ...(mode === 'on' ? { journal: { directory: join(directory, 'request-log.journal'), syncIntervalMs: 100 } } : {}),
    });
    try {
      return await run(store);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

/** `rate` rows per second in ticks of 10 ms, for SECONDS; CPU µs per row, close (final flush) included. */
async function paced(mode: Mode, rate: number): Promise<number> {
  return withStore(mode, async (store) => {
    const perTick = rate / 100;
    const ticks = SECONDS * 100;
    const start = process.cpuUsage();
    const began = performance.now();
    for (let tick = 0; tick < ticks; tick++) {
      for (let row = 0; row < perTick; row++) store.requestLog.record(makeRequestLogRecord(nextIndex++));
      const due = began + (tick + 1) * 10;
      await sleep(Math.max(0, due - performance.now()));
    }
    await store.requestLog.flush();
    return cpuMicros(start) / (perTick * ticks);
  });
}

/** FLAT_OUT_ROWS as fast as they go (1000 per event-loop turn); rows per second until flushed. */
async function flatOut(mode: Mode): Promise<{ rowsPerSecond: number; cpuPerRow: number }> {
  return withStore(mode, async (store) => {
    const start = process.cpuUsage();
    const began = performance.now();
    for (let row = 0; row < FLAT_OUT_ROWS; row += 1000) {
      for (let index = 0; index < 1000; index++) store.requestLog.record(makeRequestLogRecord(nextIndex++));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await store.requestLog.flush();
    const seconds = (performance.now() - began) / 1000;
    return { rowsPerSecond: FLAT_OUT_ROWS / seconds, cpuPerRow: cpuMicros(start) / FLAT_OUT_ROWS };
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

const lines: string[] = [
  `request log journal: CPU per row (median of ${REPEATS}; ${SECONDS} s per paced run; Node ${process.version})`,
  '',
  '| load | journal off | journal on | difference |',
  '|---|---|---|---|',
];
await flatOut('off'); // warm-up: JIT, SQLite page cache
for (const rate of RATES) {
  const results: Record<Mode, number[]> = { off: [], on: [] };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const mode of ['off', 'on'] as const) results[mode].push(await paced(mode, rate));
  }
  const off = median(results.off);
  const on = median(results.on);
  lines.push(
    `| ${rate} rows/s | ${off.toFixed(1)} µs | ${on.toFixed(1)} µs | +${(on - off).toFixed(1)} µs/row (${(((on - off) * rate) / 10_000).toFixed(1)}% of a core) |`,
  );
}
const flat: Record<Mode, Array<{ rowsPerSecond: number; cpuPerRow: number }>> = { off: [], on: [] };
for (let repeat = 0; repeat < REPEATS; repeat++) {
  for (const mode of ['off', 'on'] as const) flat[mode].push(await flatOut(mode));
}
const flatOff = { rate: median(flat.off.map((r) => r.rowsPerSecond)), cpu: median(flat.off.map((r) => r.cpuPerRow)) };
const flatOn = { rate: median(flat.on.map((r) => r.rowsPerSecond)), cpu: median(flat.on.map((r) => r.cpuPerRow)) };
lines.push(
  `| flat out, ${FLAT_OUT_ROWS} rows | ${Math.round(flatOff.rate)} rows/s, ${flatOff.cpu.toFixed(1)} µs | ${Math.round(flatOn.rate)} rows/s, ${flatOn.cpu.toFixed(1)} µs | +${(flatOn.cpu - flatOff.cpu).toFixed(1)} µs/row |`,
);
console.log(lines.join('\n'));
