import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import OpenAI from 'openai';
import pino from 'pino';
import { createApp, type LlmuxApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/index.ts';
import { openAIAnswer } from '../support/openai-steps.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';

export const ADMIN_KEY = 'llmux-admin-key-0123456789';
export const STATIC_KEY = 'sk-llmux-static-all-key';
export const STATIC_DEMO_KEY = 'sk-llmux-static-demo-key';

export interface AdminSetup {
  app: LlmuxApp;
  url: string;
  sim: Simulator;
  dataDir: string;
  /** Every log line, unredacted (a plain pino logger: what llmux itself writes). */
  logText(): string;
  admin(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; json: AnyJson }>;
  client(apiKey: string): OpenAI;
  close(): Promise<void>;
}

// biome-ignore lint/suspicious/noExplicitAny: test responses are read field by field and asserted.
export type AnyJson = any;

/** llmux in-process (SQLite) with an admin key, two static keys, a config team and one simulated upstream. */
export async function startAdminApp(options: { adminKey?: string | undefined } = {}): Promise<AdminSetup> {
  const sim = await startUpstreamSimulator({ default: openAIAnswer('hello') });
  const dataDir = mkdtempSync(join(tmpdir(), 'llmux-admin-'));
  const adminKey = 'adminKey' in options ? options.adminKey : ADMIN_KEY;
  const yaml = `
server: { ${adminKey === undefined ? '' : `adminKey: ${adminKey}`} }
store: { sqlite: ${JSON.stringify(join(dataDir, 'llmux.db'))} }
providers:
  sim: { type: openai-compatible, baseUrl: "${sim.url}/v1" }
models:
  - { name: demo, deployments: [{ provider: sim, model: up-demo }] }
  - { name: other, deployments: [{ provider: sim, model: up-other }] }
teams:
  - { name: ops, models: ["*"], rpm: 600 }
keys:
  - { name: all, key: ${STATIC_KEY}, models: ["*"] }
  - { name: demo-only, key: ${STATIC_DEMO_KEY}, models: [demo], team: ops, rpm: 60, budget: { usd: 25, period: month } }
`;
  const config = parseConfig(yaml, {}, 'admin-test.yaml');
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await createApp(config, { logger: pino({ level: 'debug' }, sink) });
  const url = (await app.server.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  return {
    app,
    url,
    sim,
    dataDir,
    logText: () => lines.join(''),
    async admin(method, path, body, key = ADMIN_KEY) {
      const headers: Record<string, string> = { authorization: `Bearer ${key}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, json: await response.json() };
    },
    client: (apiKey) => new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0, timeout: 15_000 }),
    async close() {
      await app.close();
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const USER = [{ role: 'user' as const, content: 'hi' }];
