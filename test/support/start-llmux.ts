import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type CreateAppOptions, createApp, type LlmuxApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/index.ts';

export interface RunningLlmux {
  app: LlmuxApp;
  /** http://127.0.0.1:PORT */
  url: string;
  /** The OpenAI SDK base URL: `${url}/v1`. */
  baseURL: string;
  /** A key from the config that may use every model. */
  apiKey: string;
  /** Directory holding the SQLite file; removed by close(). */
  dataDir: string;
  close(): Promise<void>;
}

export const TEST_KEY = 'sk-llmux-test-key';

/**
 * Starts llmux in-process on a free port with a YAML config (a real SQLite store in a temp dir).
 * `store:` and `keys:` are added when the YAML has none.
 */
export async function startLlmux(
  yaml: string,
  env: Record<string, string> = {},
  options: Omit<CreateAppOptions, 'logger'> = {},
): Promise<RunningLlmux> {
  const dataDir = mkdtempSync(join(tmpdir(), 'llmux-test-'));
  let text = yaml;
  if (!/^store:/m.test(text)) text += `\nstore: { sqlite: ${JSON.stringify(join(dataDir, 'llmux.db'))} }\n`;
  if (!/^keys:/m.test(text)) text += `\nkeys:\n  - { name: test, key: ${TEST_KEY}, models: ["*"] }\n`;
  const config = parseConfig(text, { ...env }, 'test-config.yaml');
  const logger = pino({ level: process.env.LLMUX_TEST_LOG_LEVEL ?? 'silent' });
  const app = await createApp(config, { ...options, logger });
  const address = await app.server.listen({ port: 0, host: '127.0.0.1' });
  const url = address.replace('localhost', '127.0.0.1');
  return {
    app,
    url,
    baseURL: `${url}/v1`,
    apiKey: TEST_KEY,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
