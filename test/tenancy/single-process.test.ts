/**
 * Issue 9 on one process: SQLite and in-process limits (no Redis). Rate limits, budgets under
 * concurrency, revocation, streams cut before their usage still charged, unpriced models.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { createApp, type LlmuxApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/index.ts';
import { openAIAnswer, openAIChunk } from '../support/openai-steps.ts';
import { delayed } from '../support/simulator-steps.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { ADMIN_KEY, admin, budgetHolds, chat, revocationSpreads, rpmBurstHolds, USER } from './scenarios.ts';

const RPM_KEY = 'sk-llmux-tenancy-rpm-0001';
const PLAIN_KEY = 'sk-llmux-tenancy-plain-001';
const BUDGET_MICROS = 200;

describe('tenancy on one process (SQLite, in-process limits)', () => {
  let sim: Simulator;
  let app: LlmuxApp;
  let url: string;
  let dataDir: string;

  before(async () => {
    // 5 + 3 tokens at $1 per 1M tokens: 8 µUSD a request.
    sim = await startUpstreamSimulator({ default: openAIAnswer('hi', { prompt_tokens: 5, completion_tokens: 3 }) });
    dataDir = mkdtempSync(join(tmpdir(), 'llmux-tenancy-'));
    const yaml = `
# 200 requests at once from one test address: no per-address cap on connections not yet authenticated.
server: { adminKey: ${ADMIN_KEY}, maxUnauthenticatedPerIp: 0 }
store: { sqlite: ${JSON.stringify(join(dataDir, 'llmux.db'))}, flushIntervalMs: 50 }
providers:
  sim: { type: openai-compatible, baseUrl: "${sim.url}/v1" }
models:
  - { name: smart, deployments: [{ provider: sim, model: up-smart }] }
  - { name: unpriced, deployments: [{ provider: sim, model: up-nobody-prices-this }] }
  - name: thrifty
    strategy: cost
    deployments: [{ provider: sim, model: gpt-4o }, { provider: sim, model: gpt-4.1-nano }, { provider: sim, model: gpt-4.1 }]
pricing:
  unpriced: deny
  models:
    - { model: smart, input: 1, output: 1 }
keys:
  - { name: rpm, key: ${RPM_KEY}, rpm: 60 }
  - { name: plain, key: ${PLAIN_KEY} }
`;
    app = await createApp(parseConfig(yaml, {}, 'tenancy-test.yaml'));
    url = (await app.server.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  });
  after(async () => {
    await app?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const createKey = async (body: object) => {
    const created = await admin(url, 'POST', '/admin/keys', body);
    assert.equal(created.status, 201, `key created (${JSON.stringify(created.json)})`);
    return { id: created.json.id as string, secret: created.json.key as string };
  };
  const spentMicros = async (id: string) => {
    const shown = await admin(url, 'GET', `/admin/keys/${id}`);
    return Math.round(Number(shown.json.spend.spentUsd) * 1_000_000);
  };

  it('rpm 60: 200 concurrent requests → 60 admitted, the rest 429 with the x-ratelimit headers', () =>
    rpmBurstHolds([url], RPM_KEY));

  it('a budget under 50 concurrent requests is never overspent; then insufficient_quota', async () => {
    const key = await createKey({ name: 'budgeted', budget: { usd: BUDGET_MICROS / 1_000_000, period: 'month' } });
    await budgetHolds([url], { ...key, budgetMicros: BUDGET_MICROS }, () => spentMicros(key.id));
  });

  it('a revoked key is refused at once', () => revocationSpreads([url]));

  it('a stream cut before its usage chunk is still charged, with estimated usage', async () => {
    const key = await createKey({ name: 'streamer', budget: { usd: 1, period: 'day' } });
    sim.enqueue({
      kind: 'sse-events',
      events: [openAIChunk({ role: 'assistant', content: 'The quick brown fox ' }), openAIChunk({ content: 'jumps' })],
      thenError: 'reset',
    });
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'smart', messages: USER, stream: true, max_tokens: 50 }),
    });
    assert.equal(response.status, 200, 'the stream started');
    const text = await response.text();
    assert.match(text, /quick brown fox/, 'the frames before the cut reached the client');
    let row: { input_tokens: number; output_tokens: number; usage_estimated: number; cost_micros: number } | undefined;
    for (let i = 0; i < 40 && row === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const db = new Database(join(dataDir, 'llmux.db'), { readonly: true });
      row = db
        .prepare('select input_tokens, output_tokens, usage_estimated, cost_micros from request_log where key_id = ?')
        .get(key.id) as typeof row;
      db.close();
    }
    assert.ok(row, 'the cut stream has its row');
    assert.equal(row.usage_estimated, 1, 'flagged estimated');
    assert.ok(row.input_tokens > 0 && row.output_tokens >= 5, `tokens estimated (${JSON.stringify(row)})`);
    assert.equal(row.cost_micros, row.input_tokens + row.output_tokens, 'priced at $1 per 1M tokens');
    assert.equal(await spentMicros(key.id), row.cost_micros, 'the key was charged for it');
  });

  it('pricing.unpriced deny: a budgeted key may not use a model without a price; a key without budget may', async () => {
    const key = await createKey({ name: 'careful', budget: { usd: 5, period: 'week' } });
    const refused = await chat(url, key.secret, { model: 'unpriced', messages: USER });
    assert.equal(refused.status, 403, `refused (${JSON.stringify(refused.json)})`);
    assert.equal(refused.json.error.code, 'model_not_priced', 'model_not_priced');
    assert.equal(refused.json.error.param, 'model', 'names the model field');
    assert.equal((await chat(url, PLAIN_KEY, { model: 'unpriced', messages: USER })).status, 200, 'no budget: served');
  });

  it('tpm: the estimate is reserved at admission and shown in x-ratelimit-*-tokens; a request larger than the limit is refused for good', async () => {
    const key = await createKey({ name: 'tokens', tpm: 1000 });
    const served = await chat(url, key.secret, { model: 'smart', messages: USER, max_tokens: 100 });
    assert.equal(served.status, 200, 'served');
    assert.equal(served.headers.get('x-ratelimit-limit-tokens'), '1000', 'x-ratelimit-limit-tokens');
    const remaining = Number(served.headers.get('x-ratelimit-remaining-tokens'));
    assert.ok(remaining < 900 && remaining > 800, `prompt + max_tokens reserved (${remaining} left)`);
    const huge = await chat(url, key.secret, { model: 'smart', messages: USER, max_tokens: 5000 });
    assert.equal(huge.status, 429, 'refused');
    assert.match(
      huge.json.error.message,
      /1000 tokens per minute.*needs more tokens than the limit/,
      huge.json.error.message,
    );
    assert.equal(huge.headers.get('x-should-retry'), 'false', 'waiting would not help');
  });

  it('maxConcurrent 2: of 5 slow requests at once, 2 are served and 3 refused naming concurrency', async () => {
    const key = await createKey({ name: 'narrow', maxConcurrent: 2 });
    for (let i = 0; i < 5; i++)
      sim.enqueue(delayed(300, openAIAnswer('slow', { prompt_tokens: 5, completion_tokens: 3 })));
    const answers = await Promise.all(Array.from({ length: 5 }, () => chat(url, key.secret)));
    sim.reset();
    sim.setDefault(openAIAnswer('hi', { prompt_tokens: 5, completion_tokens: 3 }));
    assert.equal(answers.filter((answer) => answer.status === 200).length, 2, 'two in flight at most');
    for (const refused of answers.filter((answer) => answer.status !== 200)) {
      assert.equal(refused.status, 429, 'refused with 429');
      assert.match(refused.json.error.message, /2 concurrent requests/, refused.json.error.message);
    }
    assert.equal((await chat(url, key.secret)).status, 200, 'slots are released when the requests end');
  });

  it("a team's rpm applies to the sum of its keys", async () => {
    const team = await admin(url, 'POST', '/admin/teams', { name: 'squad', rpm: 5 });
    assert.equal(team.status, 201, `team created (${JSON.stringify(team.json)})`);
    const one = await createKey({ name: 'squad-1', team: 'squad' });
    const two = await createKey({ name: 'squad-2', team: 'squad' });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => chat(url, (i % 2 ? one : two).secret)));
    assert.equal(answers.filter((answer) => answer.status === 200).length, 5, 'five for the team in all');
    const refused = answers.find((answer) => answer.status === 429);
    assert.match(refused?.json.error.message ?? '', /team 'squad'/, 'the refusal names the team');
  });

  it('the cost strategy sends a request to the cheapest deployment by the price table', async () => {
    sim.requests.length = 0;
    const answer = await chat(url, PLAIN_KEY, { model: 'thrifty', messages: USER });
    assert.equal(answer.status, 200, 'served');
    assert.equal(answer.headers.get('x-llmux-model'), 'gpt-4.1-nano', 'the cheapest deployment (gpt-4.1-nano)');
  });

  it('GET /v1/key shows the calling key its budget, spend and reset', async () => {
    const key = await createKey({ name: 'self', rpm: 100, budget: { usd: 2, period: 'month' } });
    assert.equal((await chat(url, key.secret)).status, 200, 'one request');
    const response = await fetch(`${url}/v1/key`, { headers: { authorization: `Bearer ${key.secret}` } });
    const shown = (await response.json()) as Record<string, unknown>;
    assert.equal(response.status, 200, `GET /v1/key (${JSON.stringify(shown)})`);
    assert.match(JSON.stringify(shown), /"name":"self"/, 'its name');
    assert.match(JSON.stringify(shown), /spent/i, 'its spend');
    assert.match(JSON.stringify(shown), /reset/i, 'when the budget resets');
  });
});
