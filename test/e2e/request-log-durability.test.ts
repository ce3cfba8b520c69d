/**
 * Durability of the request log across a crash and a hurried stop, on a real `llmux serve` child:
 * answered requests survive kill -9 (the journal is replayed at the next start), and a second
 * SIGTERM cuts the requests in flight but still records them and flushes the store before exiting.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import {
  type DataDir,
  type LlmuxChild,
  oneUpstreamYaml,
  readRequestLog,
  startLlmuxChild,
  waitUntilRefused,
  writeDataDir,
} from '../support/llmux-child.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { answer, chunkFrame } from './routing-support.ts';

const KEY = 'sk-llmux-durability-test';
/** The journal's sync interval in these tests: a request answered longer ago than this survives kill -9. */
const JOURNAL_SYNC_MS = 100;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The store only flushes once a minute: without the journal, a crash loses every answered row. */
function writeConfig(sim: Simulator, graceMs: number): DataDir {
  const data = writeDataDir(
    'llmux-durability-',
    (dbPath) => `server: { shutdownGraceMs: ${graceMs} }
store: { sqlite: ${JSON.stringify(dbPath)}, flushIntervalMs: 60000, journalSyncMs: ${JOURNAL_SYNC_MS} }
router: { timeouts: { connectMs: 1000, firstByteMs: 5000, idleMs: 60000, totalMs: 60000 } }
${oneUpstreamYaml(sim.url, { name: 'durability-test', key: KEY })}`,
  );
  cleanups.push(() => data.remove());
  return data;
}

/** The journal's segments still waiting to be replayed. */
const segments = (data: DataDir) => {
  const journalDir = join(data.dir, 'request-log.journal');
  return existsSync(journalDir) ? readdirSync(journalDir) : [];
};

async function start(data: DataDir): Promise<LlmuxChild> {
  const llmux = await startLlmuxChild(data.configPath);
  cleanups.push(() => llmux.stop());
  return llmux;
}

function chat(llmux: LlmuxChild, stream = false) {
  return request(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'smart', stream, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('request log durability (child process)', () => {
  it('kill -9 loses no answered request: the next start writes them from the journal, each once', async () => {
    const sim = await startUpstreamSimulator({ default: answer('fine') });
    cleanups.push(() => sim.close());
    const data = writeConfig(sim, 5000);
    const first = await start(data);

    const total = 120;
    const requestIds: string[] = [];
    for (let round = 0; round < total / 12; round++) {
      const responses = await Promise.all(Array.from({ length: 12 }, () => chat(first)));
      for (const response of responses) {
        assert.equal(response.statusCode, 200, 'every request is answered');
        await response.body.text();
        requestIds.push(String(response.headers['x-request-id']));
      }
    }
    await sleep(JOURNAL_SYNC_MS * 5); // the documented loss window, with room to spare
    first.child.kill('SIGKILL');
    assert.equal((await first.exit).signal, 'SIGKILL');
    assert.ok(
      readRequestLog(data.dbPath).length < total,
      'the crash came before the store had the rows (so only the journal can bring them back)',
    );

    const second = await start(data);
    const replay = second.entries.find((entry) => typeof entry.replayed === 'number');
    assert.equal(replay?.replayed, total, `the start reports the replay: ${JSON.stringify(replay)}`);
    const rows = readRequestLog(data.dbPath);
    assert.deepEqual(
      rows.map((row) => row.request_id).sort(),
      [...requestIds].sort(),
      'every answered request has exactly one row',
    );
    assert.ok(
      rows.every((row) => row.status === 200 && row.key_name === 'durability-test'),
      'the replayed rows are complete',
    );

    second.child.kill('SIGTERM');
    assert.equal((await second.exit).code, 0, second.output());
    assert.equal(readRequestLog(data.dbPath).length, total, 'the restart wrote no duplicate');
    assert.deepEqual(segments(data), [], 'a clean stop leaves an empty journal');
  });

  it('a second SIGTERM cuts a long stream at once, records it and flushes the store before exiting', async () => {
    const sim = await startUpstreamSimulator();
    cleanups.push(() => sim.close());
    sim.route('/v1/chat/completions', (req) =>
      (req.json as { stream?: boolean }).stream
        ? {
            kind: 'sse-events',
            events: [chunkFrame({ role: 'assistant', content: 'never finishes' })],
            thenStallMs: Number.POSITIVE_INFINITY,
          }
        : answer('quick'),
    );
    const data = writeConfig(sim, 60_000);
    const llmux = await start(data);
    const quick = await chat(llmux);
    assert.equal(quick.statusCode, 200);
    await quick.body.text();
    const stream = await chat(llmux, true);
    assert.equal(stream.statusCode, 200);
    const chunks = stream.body[Symbol.asyncIterator]();
    const firstChunk = await chunks.next();
    assert.match(Buffer.from(firstChunk.value as Uint8Array).toString(), /never finishes/);

    llmux.child.kill('SIGTERM');
    await waitUntilRefused(llmux.port);
    const secondSignalAt = performance.now();
    llmux.child.kill('SIGTERM');
    let rest = '';
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next())
      rest += Buffer.from(next.value as Uint8Array).toString();
    assert.match(rest, /"code":"shutting_down"/, 'the stream ends with an error event, not a dropped connection');
    const { code } = await llmux.exit;
    const stoppedAfter = performance.now() - secondSignalAt;
    assert.equal(code, 0, llmux.output());
    assert.ok(
      stoppedAfter < 5000,
      `exits soon after the second signal, not after the grace period (${stoppedAfter} ms)`,
    );

    const rows = readRequestLog(data.dbPath);
    assert.deepEqual(
      rows.map((row) => row.request_id),
      [quick.headers['x-request-id'], stream.headers['x-request-id']],
      'both requests are in the store: the buffered one and the cut stream',
    );
    assert.equal(rows[1]?.error_code, 'shutting_down');
    assert.deepEqual(segments(data), [], 'everything reached the store: nothing left to replay');
  });
});
