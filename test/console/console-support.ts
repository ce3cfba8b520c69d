/**
 * The console's test bench: llmux in-process (SQLite, admin key, two priced models on a simulated
 * OpenAI-compatible upstream) and known traffic, so the numbers the console shows can be checked exactly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAIAnswer, openAIStreamFrames } from '../support/openai-steps.ts';
import { type RunningLlmux, startLlmux } from '../support/start-llmux.ts';
import { type Simulator, type Step, startUpstreamSimulator } from '../support/upstream-simulator.ts';

export const ADMIN_KEY = 'llmux-console-admin-key-1234';
export const SEED_KEY = 'sk-llmux-console-seed-key';

/** Every non-streamed answer per upstream model, and the price per 1M tokens of each. */
export const TRAFFIC = {
  smart: {
    upstream: 'up-smart',
    requests: 6,
    usage: { prompt_tokens: 100, completion_tokens: 50 },
    input: 2,
    output: 8,
  },
  fast: { upstream: 'up-fast', requests: 3, usage: { prompt_tokens: 40, completion_tokens: 20 }, input: 1, output: 4 },
} as const;
/** Requests for a model that does not exist: refused by llmux (404), counted as errors. */
export const UNKNOWN_MODEL_REQUESTS = 1;

export const STREAM_PIECES = ['Hello', ' from', ' the', ' console', ' stream.'];
export const STREAM_USAGE = { prompt_tokens: 12, completion_tokens: 5 };

export function expectedTotals() {
  const models = Object.values(TRAFFIC);
  const sum = (pick: (m: (typeof models)[number]) => number) => models.reduce((total, m) => total + pick(m), 0);
  return {
    requests: sum((m) => m.requests) + UNKNOWN_MODEL_REQUESTS,
    errors: UNKNOWN_MODEL_REQUESTS,
    inputTokens: sum((m) => m.requests * m.usage.prompt_tokens),
    outputTokens: sum((m) => m.requests * m.usage.completion_tokens),
    costUsd: sum((m) => (m.requests * (m.usage.prompt_tokens * m.input + m.usage.completion_tokens * m.output)) / 1e6),
  };
}

function answer(body: unknown): Step {
  const request = (body ?? {}) as { model?: string; stream?: boolean };
  if (request.stream === true)
    return { kind: 'sse-events', events: openAIStreamFrames(STREAM_PIECES, STREAM_USAGE), delayMs: 60 };
  const model = Object.values(TRAFFIC).find((m) => m.upstream === request.model);
  return openAIAnswer(
    `answer from ${request.model ?? 'nobody'}`,
    model?.usage ?? { prompt_tokens: 1, completion_tokens: 1 },
  );
}

export interface ConsoleBench {
  llmux: RunningLlmux;
  sim: Simulator;
  admin<T>(path: string): Promise<T>;
  /** Resolves once the request log holds `count` rows matching `query` (rows are written in batches). */
  waitForLogged(query: string, count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startConsoleBench(): Promise<ConsoleBench> {
  const sim = await startUpstreamSimulator({ default: (req) => answer(req.json) });
  const dataDir = mkdtempSync(join(tmpdir(), 'llmux-console-'));
  const yaml = `
server: { adminKey: ${ADMIN_KEY} }
store: { sqlite: ${JSON.stringify(join(dataDir, 'llmux.db'))}, flushIntervalMs: 50 }
providers:
  sim: { type: openai-compatible, baseUrl: "${sim.url}/v1" }
models:
  - { name: smart, deployments: [{ provider: sim, model: ${TRAFFIC.smart.upstream} }] }
  - { name: fast, deployments: [{ provider: sim, model: ${TRAFFIC.fast.upstream} }] }
pricing:
  models:
    - { model: ${TRAFFIC.smart.upstream}, input: ${TRAFFIC.smart.input}, output: ${TRAFFIC.smart.output} }
    - { model: ${TRAFFIC.fast.upstream}, input: ${TRAFFIC.fast.input}, output: ${TRAFFIC.fast.output} }
keys:
  - { name: seed, key: ${SEED_KEY}, models: ["*"] }
`;
  const llmux = await startLlmux(yaml);
  const admin = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${llmux.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    llmux,
    sim,
    admin,
    async waitForLogged(query, count) {
      const until = Date.now() + 15_000;
      for (;;) {
        const page = await admin<{ data: unknown[] }>(`/admin/requests?limit=1000${query === '' ? '' : `&${query}`}`);
        if (page.data.length >= count) return;
        if (Date.now() > until)
          throw new Error(`request log holds ${page.data.length} rows for ${query}, expected ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await llmux.close();
      await sim.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The traffic the overview must show: every priced model's requests and the unknown-model refusals. */
export async function sendSeedTraffic(url: string): Promise<void> {
  const chat = (model: string) =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SEED_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    }).then(async (response) => ({ status: response.status, body: await response.text() }));
  for (const [name, model] of Object.entries(TRAFFIC)) {
    for (let i = 0; i < model.requests; i++) {
      const result = await chat(name);
      if (result.status !== 200) throw new Error(`seed request to ${name}: ${result.status} ${result.body}`);
    }
  }
  for (let i = 0; i < UNKNOWN_MODEL_REQUESTS; i++) {
    const result = await chat('no-such-model');
    if (result.status < 400) throw new Error(`unknown model answered ${result.status}`);
  }
}
