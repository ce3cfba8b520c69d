/**
 * The limited-key targets (issue 9): the plain llmux process called with a key that has rpm + tpm +
 * budget, and a second llmux process with the same key whose limits live on Redis.
 */
import { LIMITED_TARGETS, LLMUX_LIMITED_KEY, TARGET_LABELS } from './matrix.ts';
import { flushRedisDb, type LlmuxRunning, type Running, startLlmux } from './targets.ts';

/** A database of its own, emptied at the start of every run (FLUSHDB, never FLUSHALL). */
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/9';

type LimitedTarget = (typeof LIMITED_TARGETS)[number];

export async function startLimitedTargets(
  llmux: LlmuxRunning | undefined,
  upstreamPort: number,
  entry: 'src' | 'dist',
  notes: string[],
): Promise<Partial<Record<LimitedTarget, Running>>> {
  const out: Partial<Record<LimitedTarget, Running>> = {};
  if (llmux === undefined) return out;
  out['llmux-limited'] = llmux;
  try {
    await flushRedisDb(BENCH_REDIS_URL);
    // dist/ was built for the first llmux a moment ago.
    out['llmux-redis'] = await startLlmux(upstreamPort, [], entry, {
      redisUrl: BENCH_REDIS_URL,
      routes: llmux.routes,
      build: false,
      name: 'llmux (Redis)',
    });
  } catch (error) {
    notes.push(
      `${TARGET_LABELS['llmux-redis']} did not start (${BENCH_REDIS_URL}): ${String(error).slice(0, 400)}; its rows are skipped.`,
    );
  }
  return out;
}

interface KeyInfo {
  budget?: { spent_usd?: number; reserved_usd?: number; period?: string } | null;
}

/**
 * What the limited key's budget shows after the run (`GET /v1/key`): a spend above zero shows the
 * requests were priced and settled, not served at no cost for want of a price.
 */
export async function limitedKeySpendNotes(targets: Partial<Record<LimitedTarget, Running>>): Promise<string[]> {
  const notes: string[] = [];
  for (const target of LIMITED_TARGETS) {
    const running = targets[target];
    if (running === undefined) continue;
    try {
      const response = await fetch(`http://127.0.0.1:${running.port}/v1/key`, {
        headers: { authorization: `Bearer ${LLMUX_LIMITED_KEY}` },
      });
      const info = (await response.json()) as KeyInfo;
      const spent = info.budget?.spent_usd;
      if (typeof spent !== 'number') {
        notes.push(`${TARGET_LABELS[target]}: GET /v1/key showed no budget spend (HTTP ${response.status}).`);
      } else if (spent <= 0) {
        notes.push(`${TARGET_LABELS[target]}: **the budget shows $0 spent**: requests were not priced.`);
      } else {
        notes.push(
          `${TARGET_LABELS[target]}: the key's budget shows $${spent.toFixed(4)} spent this ${info.budget?.period ?? '?'} ` +
            'after the run (GET /v1/key): requests were priced and settled.',
        );
      }
    } catch (error) {
      notes.push(`${TARGET_LABELS[target]}: GET /v1/key failed: ${(error as Error).message}`);
    }
  }
  return notes;
}
