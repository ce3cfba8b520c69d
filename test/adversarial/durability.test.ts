/**
 * Issue 12, item 10: answered requests must not vanish from the request log when llmux is stopped
 * hard. A second SIGTERM flushes before exiting; after a kill -9 the rows not yet in the store are
 * replayed from the journal at the next start; the default grace period fits Docker's 10 s.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseConfig } from '../../src/config/index.ts';
import { readRequestLog, startLlmuxChild } from '../support/llmux-child.ts';
import { openAIAnswer, openAIChunk } from '../support/openai-steps.ts';
import type { Exchange } from './exchange.ts';
import { expectSuccess } from './exchange.ts';
import { type AdversarialLlmux, hasStoreField, startAdversarialLlmux, user } from './harness.ts';

const ANSWERED = 40;
/** Docker's default stop timeout before SIGKILL. */
const DOCKER_STOP_TIMEOUT_MS = 10_000;

/** Answered requests (with their ids) that have no row in the log. */
function missingRows(dbPath: string, exchanges: Exchange[]): string[] {
  const ids = new Set(readRequestLog(dbPath).map((row) => row.request_id));
  return exchanges
    .filter((exchange) => exchange.requestId === undefined || !ids.has(exchange.requestId))
    .map((e) => e.label);
}

async function answerMany(llmux: AdversarialLlmux, streams = true): Promise<Exchange[]> {
  const exchanges: Exchange[] = [];
  for (let i = 0; i < ANSWERED; i += 8) {
    const batch = await Promise.all(
      Array.from({ length: 8 }, (_, j) =>
        llmux.chat(`answered ${i + j}`, { model: 'compat', stream: streams && (i + j) % 2 === 0, messages: user }),
      ),
    );
    for (const exchange of batch) expectSuccess(exchange);
    exchanges.push(...batch);
  }
  return exchanges;
}

describe('adversarial: durability of the request log (child process)', () => {
  const disposals: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const dispose of disposals.splice(0).reverse()) await dispose();
  });

  it('the default shutdown grace period leaves room under Docker’s 10 s stop timeout', () => {
    const config = parseConfig('keys: [{ name: k, key: sk-llmux-12345678 }]\n', {}, 'defaults.yaml');
    assert.ok(
      config.server.shutdownGraceMs < DOCKER_STOP_TIMEOUT_MS,
      `default server.shutdownGraceMs ${config.server.shutdownGraceMs} < ${DOCKER_STOP_TIMEOUT_MS}`,
    );
  });

  it('a second SIGTERM while a stream is in flight still flushes every answered request', async () => {
    // Batches reach SQLite only every minute (when the setting exists): the rows are all pending at the signals.
    const llmux = await startAdversarialLlmux({
      store: hasStoreField('flushIntervalMs') ? { flushIntervalMs: 60_000 } : {},
    });
    disposals.push(() => llmux.dispose());
    llmux.sims.compat.route('/v1/chat/completions', (req) =>
      (req.json as { stream?: boolean }).stream === true
        ? {
            kind: 'sse-events',
            events: [openAIChunk({ role: 'assistant', content: 'never finishes' })],
            thenStallMs: 60_000,
          }
        : openAIAnswer(),
    );
    const inFlight = llmux.chat('stream in flight at shutdown', { model: 'compat', stream: true, messages: user });
    await llmux.sims.compat.waitForRequests(1, 5000);
    const answered = [...llmux.ledger, ...(await answerMany(llmux, false))];
    const exit = llmux.stop('SIGTERM');
    await sleep(100);
    const second = performance.now();
    llmux.stop('SIGTERM').catch(() => {});
    await exit;
    assert.ok(performance.now() - second < 5000, 'the second SIGTERM hurries the exit');
    await inFlight;
    assert.deepEqual(missingRows(llmux.dbPath, answered), [], 'every answered request has its row after two SIGTERMs');
  });

  it('kill -9: the rows not yet in the store are replayed from the journal at the next start', async () => {
    assert.ok(hasStoreField('journalSyncMs'), 'store.journalSyncMs exists (issue 12 item 10)');
    assert.ok(hasStoreField('flushIntervalMs'), 'store.flushIntervalMs exists (issue 12 item 10)');
    // Batches reach SQLite only every minute here, so every row is still pending at the kill.
    const llmux = await startAdversarialLlmux({ store: { flushIntervalMs: 60_000, journalSyncMs: 50 } });
    disposals.push(() => llmux.dispose());
    const answered = [...llmux.ledger, ...(await answerMany(llmux))];
    await sleep(300); // several journal syncs
    const killed = await llmux.stop('SIGKILL');
    assert.equal(killed.signal, 'SIGKILL');

    const restarted = await startLlmuxChild(llmux.configPath, { startTimeoutMs: 30_000 });
    disposals.push(() => restarted.stop());
    restarted.child.kill('SIGTERM');
    const { code } = await restarted.exit;
    assert.equal(code, 0, `the restarted llmux stops cleanly; stderr:\n${restarted.stderr().slice(-2000)}`);
    assert.deepEqual(
      missingRows(llmux.dbPath, answered),
      [],
      'every answered request has its row after kill -9 and a restart',
    );
  });
});
