/**
 * Issue 9 across replicas: three `llmux serve` processes sharing Postgres and Redis. Limits and
 * budgets hold for the sum of the three, a key revoked on one is refused by the others within 1 s,
 * and a deployment one replica cools down is skipped by all.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createClient } from 'redis';
import { type LlmuxChild, startLlmuxChild, writeDataDir } from '../support/llmux-child.ts';
import { openAIAnswer } from '../support/openai-steps.ts';
import { findPostgres, postgresUnreachable } from '../support/postgres.ts';
import { findRedis, redisUnreachable } from '../support/redis.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { ADMIN_KEY, admin, budgetHolds, chat, revocationSpreads, rpmBurstHolds } from './scenarios.ts';

const RPM_KEY = 'sk-llmux-replicas-rpm-0001';
const PLAIN_KEY = 'sk-llmux-replicas-plain-001';
/** A Redis database of this test's own (emptied first): replicas on one database share their state. */
const REDIS_DB = 6;
const BUDGET_MICROS = 200;

const postgresUrl = await findPostgres();
const redisBase = await findRedis();

if (postgresUrl === undefined) postgresUnreachable('tenancy across replicas (Postgres + Redis)');
else if (redisBase === undefined) redisUnreachable('tenancy across replicas (Postgres + Redis)');
else {
  describe('tenancy across three replicas (Postgres + Redis)', () => {
    const schema = `llmux_replicas_${randomBytes(4).toString('hex')}`;
    const redisUrl = `${redisBase}/${REDIS_DB}`;
    let good: Simulator;
    let bad: Simulator;
    let replicas: LlmuxChild[] = [];
    let dataDir: ReturnType<typeof writeDataDir>;
    const urls = () => replicas.map((replica) => replica.url);

    before(async () => {
      const redis = createClient({ url: redisUrl });
      await redis.connect();
      await redis.flushDb();
      await redis.close();
      const db = new pg.Client({ connectionString: postgresUrl });
      await db.connect();
      await db.query(`create schema ${schema}`);
      await db.end();
      // 5 + 3 tokens at $1 per 1M tokens: 8 µUSD a request.
      good = await startUpstreamSimulator({ default: openAIAnswer('hi', { prompt_tokens: 5, completion_tokens: 3 }) });
      bad = await startUpstreamSimulator({
        default: { kind: 'json', status: 500, body: { error: { message: 'down', type: 'server_error' } } },
      });
      const store = `${postgresUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      dataDir = writeDataDir(
        'llmux-replicas-',
        () => `
# 200 requests at once from one test address: no per-address cap on connections not yet authenticated.
server: { adminKey: ${ADMIN_KEY}, maxUnauthenticatedPerIp: 0 }
store: { postgres: ${JSON.stringify(store)}, flushIntervalMs: 100, journal: false }
redis: ${JSON.stringify(redisUrl)}
# Exactness, not outages, is tested here: a loaded CI machine must not turn slow Redis calls into "open" admissions.
limits: { redisTimeoutMs: 5000 }
providers:
  good: { type: openai-compatible, baseUrl: "${good.url}/v1" }
  bad: { type: openai-compatible, baseUrl: "${bad.url}/v1" }
models:
  - { name: smart, deployments: [{ provider: good, model: up-smart }] }
  - name: flaky
    strategy: priority
    deployments: [{ provider: bad, model: up-flaky, priority: 0 }, { provider: good, model: up-flaky, priority: 1 }]
router:
  cooldown: { failures: 1, cooldownMs: 60000 }
  retry: { attempts: 2, backoffMs: 0 }
pricing:
  models:
    - { model: smart, input: 1, output: 1 }
    - { model: flaky, input: 1, output: 1 }
keys:
  - { name: rpm, key: ${RPM_KEY}, rpm: 60 }
  - { name: plain, key: ${PLAIN_KEY} }
`,
      );
      replicas = await Promise.all([1, 2, 3].map(() => startLlmuxChild(dataDir.configPath)));
    });

    after(async () => {
      await Promise.all(replicas.map((replica) => replica.stop('SIGTERM')));
      await good?.close();
      await bad?.close();
      dataDir?.remove();
      const db = new pg.Client({ connectionString: postgresUrl });
      await db.connect();
      await db.query(`drop schema if exists ${schema} cascade`);
      await db.end();
    });

    it('rpm 60 holds for the three together: 200 concurrent requests → 60 admitted, the rest 429', () =>
      rpmBurstHolds(urls(), RPM_KEY));

    it('a budget under 50 concurrent requests across replicas is never overspent; then insufficient_quota', async () => {
      const created = await admin(urls()[0] as string, 'POST', '/admin/keys', {
        name: 'budgeted',
        budget: { usd: BUDGET_MICROS / 1_000_000, period: 'month' },
      });
      assert.equal(created.status, 201, `created (${JSON.stringify(created.json)})`);
      const key = { id: created.json.id as string, secret: created.json.key as string, budgetMicros: BUDGET_MICROS };
      await budgetHolds(urls(), key, async () => {
        const shown = await admin(urls()[2] as string, 'GET', `/admin/keys/${key.id}`);
        return Math.round(Number(shown.json.spend.spentUsd) * 1_000_000);
      });
    });

    it('a key revoked on one replica is refused by the other two within 1 s', () => revocationSpreads(urls()));

    it('a deployment cooled down by one replica is skipped by all', async () => {
      const [first, ...others] = urls() as [string, ...string[]];
      const served = await chat(first, PLAIN_KEY, { model: 'flaky', messages: [{ role: 'user', content: 'x' }] });
      assert.equal(served.status, 200, `served by the fallback deployment (${JSON.stringify(served.json)})`);
      assert.ok(bad.requests.length >= 1, 'the failing deployment was tried first');
      const triedBefore = bad.requests.length;
      await sleep(300);
      for (const url of others) {
        const answer = await chat(url, PLAIN_KEY, { model: 'flaky', messages: [{ role: 'user', content: 'y' }] });
        assert.equal(answer.status, 200, `${url} served it`);
      }
      assert.equal(bad.requests.length, triedBefore, 'no other replica sent a request to the cooled deployment');
    });

    it('every replica wrote its rows, with cost, to the shared request log', async () => {
      await sleep(500);
      const db = new pg.Client({ connectionString: postgresUrl, options: `-c search_path=${schema}` });
      await db.connect();
      try {
        const { rows } = await db.query<{ n: string; priced: string }>(
          `select count(*) as n, count(cost_micros) as priced from request_log where key_name = 'rpm' and status = 200`,
        );
        assert.ok(Number(rows[0]?.n) >= 60, `the admitted rpm requests are logged (${rows[0]?.n})`);
        assert.equal(rows[0]?.priced, rows[0]?.n, 'each with its cost');
      } finally {
        await db.end();
      }
    });
  });
}
