/**
 * `limits.onStoreError` when Redis goes away under a running llmux: open serves limited keys and
 * logs an error, closed answers 503 limits_unavailable; neither hangs, and both recover when Redis
 * is back. Redis sits behind a TCP proxy the test takes down and brings back.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createApp, type LlmuxApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/index.ts';
import { openAIAnswer } from '../support/openai-steps.ts';
import { findRedis, redisUnreachable } from '../support/redis.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { chat } from './scenarios.ts';

const KEY = 'sk-llmux-outage-limited-01';
/** A Redis database of this test's own: nothing else runs on it. */
const REDIS_DB = 8;
const redisBase = await findRedis();

if (redisBase === undefined) redisUnreachable('limits.onStoreError when Redis goes away');
else {
  for (const policy of ['open', 'closed'] as const) {
    describe(`limits.onStoreError: ${policy}`, () => {
      let sim: Simulator;
      let proxy: TcpProxy;
      let app: LlmuxApp;
      let url: string;
      let dataDir: string;
      const lines: string[] = [];

      before(async () => {
        const redisPort = Number(new URL(redisBase).port || 6379);
        proxy = await startTcpProxy('127.0.0.1', redisPort);
        sim = await startUpstreamSimulator({ default: openAIAnswer('hi') });
        dataDir = mkdtempSync(join(tmpdir(), 'llmux-outage-'));
        const yaml = `
store: { sqlite: ${JSON.stringify(join(dataDir, 'llmux.db'))} }
redis: "redis://127.0.0.1:${proxy.port}/${REDIS_DB}"
limits: { onStoreError: ${policy}, redisTimeoutMs: 200 }
providers:
  sim: { type: openai-compatible, baseUrl: "${sim.url}/v1" }
models:
  - { name: smart, deployments: [{ provider: sim, model: up-smart }] }
keys:
  - { name: limited, key: ${KEY}, rpm: 1000 }
`;
        const sink = new Writable({
          write(chunk: Buffer, _encoding, done) {
            lines.push(chunk.toString('utf8'));
            done();
          },
        });
        app = await createApp(parseConfig(yaml, {}, 'outage.yaml'), { logger: pino({ level: 'info' }, sink) });
        url = (await app.server.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
      });
      after(async () => {
        await proxy?.up().catch(() => undefined);
        await app?.close();
        await sim?.close();
        await proxy?.close();
        rmSync(dataDir, { recursive: true, force: true });
      });

      it('with Redis up, the limited key is served with its headers', async () => {
        const answer = await chat(url, KEY);
        assert.equal(answer.status, 200, 'served');
        assert.equal(answer.headers.get('x-ratelimit-limit-requests'), '1000', 'limits were checked on Redis');
      });

      it(`with Redis down: ${policy === 'open' ? 'served, and an error logged' : '503 limits_unavailable'}, within the timeout`, async () => {
        await proxy.down();
        const started = performance.now();
        const answer = await chat(url, KEY);
        const tookMs = performance.now() - started;
        assert.ok(tookMs < 2000, `answered in ${Math.round(tookMs)} ms, not hung`);
        if (policy === 'open') {
          assert.equal(answer.status, 200, `served without limits (${JSON.stringify(answer.json)})`);
          assert.equal(answer.headers.get('x-ratelimit-limit-requests'), null, 'no limit was checked');
          assert.match(lines.join(''), /limits store unreachable: serving without limits/, 'an error was logged');
        } else {
          assert.equal(answer.status, 503, `refused (${JSON.stringify(answer.json)})`);
          assert.equal(answer.json.error.code, 'limits_unavailable', 'limits_unavailable');
          assert.ok(Number(answer.headers.get('retry-after')) >= 1, 'with retry-after');
        }
      });

      it('with Redis back, limits are checked again', async () => {
        await proxy.up();
        let answer = await chat(url, KEY);
        for (let i = 0; i < 60 && answer.headers.get('x-ratelimit-limit-requests') === null; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          answer = await chat(url, KEY);
        }
        assert.equal(answer.status, 200, 'served');
        assert.equal(answer.headers.get('x-ratelimit-limit-requests'), '1000', 'limits checked on Redis again');
      });
    });
  }
}
