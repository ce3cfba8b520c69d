import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp, type LlmuxApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/index.ts';
import type { RequestLogRecord } from '../../src/store/types.ts';

export const FRONT_DOOR_KEY = 'sk-front-door-valid-key';

/** A running llmux whose log lines are captured (a plain pino logger: no redaction to hide a leak). */
export interface FrontDoorLlmux {
  app: LlmuxApp;
  url: string;
  dbPath: string;
  logs: string[];
  rows(): Promise<RequestLogRecord[]>;
  /** The rows with this request id, once at least one is there (waits up to 3 s). */
  rowsFor(requestId: string): Promise<RequestLogRecord[]>;
  logLinesFor(requestId: string): string[];
  close(): Promise<void>;
}

export async function startFrontDoorLlmux(yaml: string): Promise<FrontDoorLlmux> {
  const dataDir = mkdtempSync(join(tmpdir(), 'llmux-front-door-'));
  const dbPath = join(dataDir, 'llmux.db');
  const config = parseConfig(
    `${yaml}\nstore: { sqlite: ${JSON.stringify(dbPath)} }\nkeys:\n  - { name: front, key: ${FRONT_DOOR_KEY}, models: ["*"] }\n`,
    {},
    'front-door-test.yaml',
  );
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await createApp(config, { logger: pino({ level: 'info' }, sink) });
  const url = (await app.server.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  let closed = false;
  const rows = async () => {
    await app.store.requestLog.flush();
    return app.store.listRequests({ limit: 10_000 });
  };
  return {
    app,
    url,
    dbPath,
    logs,
    rows,
    async rowsFor(requestId) {
      const deadline = Date.now() + 3000;
      for (;;) {
        const found = (await rows()).filter((row) => row.requestId === requestId);
        if (found.length > 0 || Date.now() > deadline) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    logLinesFor: (requestId) => logs.filter((line) => line.includes(`"requestId":"${requestId}"`)),
    async close() {
      if (!closed) {
        closed = true;
        await app.close();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The OpenAI error envelope's `code`, or fails. */
export function errorCodeOf(body: string): string | null {
  const parsed = JSON.parse(body) as { error?: { code?: string | null; message?: string; type?: string } };
  assert.ok(parsed.error && typeof parsed.error.message === 'string', `an OpenAI error envelope: ${body}`);
  assert.ok(typeof parsed.error.type === 'string', `envelope has a type: ${body}`);
  return parsed.error.code ?? null;
}

/**
 * The rejection left exactly one request-log row (status and stable error code as expected) and
 * exactly one log line, neither carrying `secrets`.
 */
export async function assertRecordedOnce(
  llmux: FrontDoorLlmux,
  requestId: string | null | undefined,
  expected: { status: number; errorCode: string; secrets?: string[] },
): Promise<RequestLogRecord> {
  assert.ok(requestId, 'the response carries x-request-id');
  const rows = await llmux.rowsFor(requestId);
  assert.equal(rows.length, 1, `exactly one request-log row for ${requestId}`);
  const [row] = rows as [RequestLogRecord];
  assert.equal(row.status, expected.status, 'row status');
  assert.equal(row.errorCode, expected.errorCode, 'row error code');
  const lines = llmux.logLinesFor(requestId);
  assert.equal(lines.length, 1, `exactly one log line for ${requestId}: ${lines.join('')}`);
  for (const secret of [FRONT_DOOR_KEY, ...(expected.secrets ?? [])]) {
    assert.ok(!JSON.stringify(row).includes(secret), `the row carries no key material: ${JSON.stringify(row)}`);
    assert.ok(!(lines[0] ?? '').includes(secret), `the log line carries no key material: ${lines[0]}`);
  }
  return row;
}
