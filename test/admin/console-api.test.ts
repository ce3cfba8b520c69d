/**
 * The console's admin API (issue 11): statistics, the request log with its detail, live models, the
 * playground (through the official openai SDK) and the sign-in check, on SQLite and on Postgres.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import pg from 'pg';
import pino from 'pino';
import { createApp, type LlmuxApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/index.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { Store } from '../../src/store/types.ts';
import { openaiJsonStep, openaiSseStep } from '../support/openai-replay.ts';
import { findPostgres, postgresUnreachable } from '../support/postgres.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';

const ADMIN_KEY = 'llmux-console-admin-key-0123456789';
const CLIENT_KEY = 'sk-llmux-console-client';
const USER = [{ role: 'user' as const, content: 'Invent a holiday.' }];
const ANSWER = 'openai/vercel-ai/openai-text.json';
const STREAM = 'openai/vercel-ai/openai-text.chunks.txt';
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

// biome-ignore lint/suspicious/noExplicitAny: responses are read field by field and asserted.
type AnyJson = any;

interface ConsoleSetup {
  app: LlmuxApp;
  url: string;
  bad: Simulator;
  good: Simulator;
  admin(
    path: string,
    init?: { method?: string; body?: unknown; key?: string | null },
  ): Promise<{ status: number; json: AnyJson }>;
  close(): Promise<void>;
}

async function startConsole(store: Store | undefined, adminKey: string | null = ADMIN_KEY): Promise<ConsoleSetup> {
  const bad = await startUpstreamSimulator({
    default: { kind: 'json', status: 503, body: { error: { message: 'overloaded', type: 'server_error' } } },
  });
  const good = await startUpstreamSimulator({ default: openaiJsonStep(ANSWER) });
  const dataDir = mkdtempSync(join(tmpdir(), 'llmux-console-'));
  const yaml = `
server: { ${adminKey === null ? '' : `adminKey: ${adminKey}`} }
store: { sqlite: ${JSON.stringify(join(dataDir, 'llmux.db'))} }
providers:
  bad: { type: openai-compatible, baseUrl: "${bad.url}/v1" }
  good: { type: openai-compatible, baseUrl: "${good.url}/v1" }
models:
  - name: demo
    strategy: priority
    deployments:
      - { provider: bad, model: up-bad, priority: 0 }
      - { provider: good, model: up-good, priority: 1 }
  - { name: other, deployments: [{ provider: good, model: up-good }] }
  - { name: "open/*", deployments: [{ provider: good, model: "*" }] }
pricing:
  models:
    - { model: up-good, input: 1, output: 2, cachedInput: 0.5 }
keys:
  - { name: console-client, key: ${CLIENT_KEY}, models: ["*"] }
`;
  const config = parseConfig(yaml, {}, 'console-test.yaml');
  const app = await createApp(config, { logger: pino({ level: 'silent' }), ...(store === undefined ? {} : { store }) });
  const url = (await app.server.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  return {
    app,
    url,
    bad,
    good,
    async admin(path, init = {}) {
      const key = init.key === undefined ? ADMIN_KEY : init.key;
      const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return { status: response.status, json: await response.json() };
    },
    async close() {
      await app.close();
      await Promise.all([bad.close(), good.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const NEW_ROUTES = [
  '/admin/me',
  '/admin/stats/summary?range=1h',
  '/admin/stats/timeseries?range=1h',
  '/admin/models',
  '/admin/requests',
  '/admin/requests/req_x',
];

function consoleSuite(
  kind: 'sqlite' | 'postgres',
  openStore: () => Promise<{ store?: Store; dispose(): Promise<void> }>,
) {
  describe(`console admin API (${kind})`, () => {
    let setup: ConsoleSetup;
    let dispose: () => Promise<void>;
    let client: OpenAI;
    let playground: OpenAI;
    /** llmux's id of the first demo request, and the client's own id it sent. */
    let demoId = '';
    const startedAt = Date.now();

    before(async () => {
      const opened = await openStore();
      dispose = opened.dispose;
      setup = await startConsole(opened.store);
      client = new OpenAI({ baseURL: `${setup.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0, timeout: 15_000 });
      playground = new OpenAI({
        baseURL: `${setup.url}/admin/playground`,
        apiKey: ADMIN_KEY,
        maxRetries: 0,
        timeout: 15_000,
      });
      // Traffic: three demo requests (each fails on `bad`, then `good` answers), one streamed `other`, one refused key.
      for (let index = 0; index < 3; index++) {
        const { response } = await client.chat.completions
          .create({ model: 'demo', messages: USER }, { headers: { 'x-request-id': `console-demo-${index}` } })
          .withResponse();
        if (index === 0) demoId = response.headers.get('x-request-id') ?? '';
      }
      setup.good.enqueue(openaiSseStep(STREAM));
      const stream = await client.chat.completions.create({
        model: 'other',
        messages: USER,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _chunk of stream) {
        // drained
      }
      const refused = await fetch(`${setup.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-wrong', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'demo', messages: USER }),
      });
      assert.equal(refused.status, 401, 'a wrong client key is refused');
      await setup.app.store.requestLog.flush();
    });
    after(async () => {
      await setup?.close();
      await dispose?.();
    });

    it('GET /admin/me answers the version (the sign-in check)', async () => {
      assert.deepEqual((await setup.admin('/admin/me')).json, { ok: true, version: VERSION });
    });

    it('GET /admin/requests: newest first, keyset pages with nextBefore, filters', async () => {
      const all = await setup.admin('/admin/requests');
      assert.equal(all.status, 200, 'listed');
      assert.equal(all.json.data.length, 5, 'three demo, one other, one refused');
      assert.equal(all.json.has_more, false, 'one page');
      assert.equal(all.json.nextBefore, null, 'no next page');
      assert.equal(all.json.data[0].status, 401, 'newest first: the refused request');
      assert.equal(all.json.data[0].attemptLog, undefined, 'the list carries no attempt log');
      const seen: string[] = [];
      let page = await setup.admin('/admin/requests?limit=2');
      const sizes: number[] = [];
      for (;;) {
        sizes.push(page.json.data.length);
        seen.push(...page.json.data.map((row: AnyJson) => row.requestId));
        if (page.json.nextBefore === null) break;
        assert.equal(page.json.has_more, true, 'has_more with a cursor');
        assert.match(String(page.json.nextBefore), /^\d+-\d+$/, 'an opaque timestamp-id cursor');
        page = await setup.admin(`/admin/requests?limit=2&before=${page.json.nextBefore}`);
      }
      assert.deepEqual(sizes, [2, 2, 1], 'pages of 2');
      assert.deepEqual(
        seen,
        all.json.data.map((row: AnyJson) => row.requestId),
        'the pages walk the same rows in the same order',
      );
      const byKey = await setup.admin('/admin/requests?keyName=console-client');
      assert.equal(byKey.json.data.length, 4, 'by key name');
      const byModel = await setup.admin('/admin/requests?model=other');
      assert.deepEqual(
        byModel.json.data.map((row: AnyJson) => [row.publicModel, row.stream, row.costUsd]),
        [['other', true, 0.000616]],
        'by model; streamed; 16 in × $1 + 300 out × $2 per 1M',
      );
      const refused = await setup.admin('/admin/requests?status=401');
      assert.deepEqual(
        refused.json.data.map((row: AnyJson) => [row.status, row.errorCode, row.keyName]),
        [[401, 'invalid_api_key', null]],
        'by status',
      );
      const none = await setup.admin(`/admin/requests?since=${Date.now() + 60_000}`);
      assert.deepEqual(none.json.data, [], 'since the future: nothing');
      const until = await setup.admin(`/admin/requests?until=${startedAt - 1}`);
      assert.deepEqual(until.json.data, [], 'until before the traffic: nothing');
    });

    it('GET /admin/requests/{id}: the record with its attempts, client id, timings, usage and cost', async () => {
      const detail = await setup.admin(`/admin/requests/${demoId}`);
      assert.equal(detail.status, 200, 'found');
      const { json } = detail;
      assert.equal(json.requestId, demoId);
      assert.equal(json.clientRequestId, 'console-demo-0', "the client's x-request-id");
      assert.deepEqual(
        [json.surface, json.keyName, json.publicModel, json.provider, json.upstreamModel, json.status],
        ['openai-chat', 'console-client', 'demo', 'good', 'up-good', 200],
      );
      assert.deepEqual([json.inputTokens, json.outputTokens, json.costUsd], [16, 363, 0.000742], 'usage and cost');
      assert.equal(typeof json.latencyMs, 'number', 'timings');
      assert.equal(json.attemptCount, 2, 'two attempts were made');
      assert.deepEqual(
        json.attempts.map((attempt: AnyJson) => [
          attempt.provider,
          attempt.deployment,
          attempt.upstreamModel,
          attempt.outcome,
          attempt.status,
          attempt.fallback,
        ]),
        [
          ['bad', 'demo#0', 'up-bad', '5xx', 503, false],
          ['good', 'demo#1', 'up-good', 'ok', null, false],
        ],
        'the failed attempt, then the one that served',
      );
      assert.ok(
        json.attempts.every((attempt: AnyJson) => attempt.startedAt >= startedAt && attempt.durationMs >= 0),
        'attempt times',
      );
    });

    it('GET /admin/stats/summary: totals, error rate, rate, percentiles, top keys by spend', async () => {
      const summary = await setup.admin('/admin/stats/summary?range=1h');
      assert.equal(summary.status, 200, 'answered');
      const { json } = summary;
      assert.equal(json.range, '1h');
      assert.deepEqual(
        [json.requests, json.errors, json.errorRate, json.inputTokens, json.outputTokens],
        [5, 1, 0.2, 64, 1389],
        '4 served (16 in each; 3 × 363 + 300 out), 1 refused',
      );
      assert.equal(json.costUsd, (3 * 742 + 616) / 1e6, 'cost in USD');
      assert.equal(json.requestsPerSecond, 5 / 3600, 'per second over the hour');
      assert.ok(json.latencyP50Ms !== null && json.latencyP95Ms >= json.latencyP50Ms, 'latency percentiles');
      assert.ok(json.ttftP50Ms !== null, 'TTFT percentiles');
      assert.deepEqual(json.topKeys, [
        { keyName: 'console-client', team: null, requests: 4, costUsd: (3 * 742 + 616) / 1e6 },
      ]);
    });

    it('GET /admin/stats/timeseries: per-minute buckets, by model, with the range bounds', async () => {
      const response = await setup.admin('/admin/stats/timeseries?range=1h&groupBy=model');
      assert.equal(response.status, 200, 'answered');
      const { json } = response;
      assert.equal(json.bucketMs, 60_000, '1 min buckets for 1 h');
      assert.equal(json.to - json.from, 3_600_000 - 60_000 + (json.to % 60_000), 'sixty buckets, the last filling');
      const totals = json.series.map((series: AnyJson) => [
        series.group,
        series.other,
        series.points.reduce((sum: number, point: AnyJson) => sum + point.requests, 0),
      ]);
      assert.deepEqual(
        totals,
        [
          ['demo', false, 3],
          ['other', false, 1],
          [null, false, 1],
        ],
        'demo, other, then the refusal (turned away before its body was read: no model)',
      );
      const point = json.series[0].points[0];
      assert.deepEqual(Object.keys(point).sort(), [
        'costUsd',
        'errors',
        'inputTokens',
        'latencyP50Ms',
        'latencyP95Ms',
        'outputTokens',
        'requests',
        't',
        'ttftP50Ms',
        'ttftP95Ms',
      ]);
      assert.equal(point.t % 60_000, 0, 'bucket starts are whole minutes');
      const none = await setup.admin('/admin/stats/timeseries?range=30d');
      assert.equal(none.json.bucketMs, 6 * 3_600_000, '6 h buckets for 30 d');
      assert.deepEqual(
        none.json.series.map((series: AnyJson) => series.group),
        [null],
        'groupBy none: one series',
      );
    });

    it('GET /admin/models: deployments with live circuit state, recent errors and prices', async () => {
      const response = await setup.admin('/admin/models');
      assert.equal(response.status, 200, 'answered');
      const byName = new Map(response.json.data.map((model: AnyJson) => [model.name, model]));
      assert.deepEqual([...byName.keys()], ['demo', 'other', 'open/*'], 'config order');
      const demo = byName.get('demo') as AnyJson;
      assert.equal(demo.wildcard, false);
      const [bad, good] = demo.deployments;
      assert.deepEqual(
        [bad.id, bad.provider, bad.providerType, bad.upstreamModel, bad.state, bad.inFlight, bad.price],
        ['demo#0', 'bad', 'openai-compatible', 'up-bad', 'open', 0, null],
        'three failed requests opened the bad deployment; it has no price',
      );
      assert.equal(bad.recentErrors.length, 3, 'its failures, newest first');
      assert.ok(
        bad.recentErrors.every(
          (error: AnyJson) =>
            error.code === 'upstream_error' && error.at >= startedAt && /overloaded|503/.test(error.message),
        ),
        `recent errors: ${JSON.stringify(bad.recentErrors)}`,
      );
      assert.deepEqual(
        [good.state, good.inFlight, good.recentErrors, good.price],
        ['closed', 0, [], { inputPerMTokUsd: 1, outputPerMTokUsd: 2, cachedInputPerMTokUsd: 0.5, source: 'config' }],
      );
      assert.equal(typeof good.latencyAvgMs, 'number', 'a latency average once it served');
      const wildcard = byName.get('open/*') as AnyJson;
      assert.equal(wildcard.wildcard, true, 'a wildcard model');
      assert.equal(wildcard.deployments[0].price, null, 'priced per model asked for: none listed');
      assert.equal(wildcard.deployments[0].latencyAvgMs, null, 'never used');
    });

    it('the playground serves chat completions through the gateway (openai SDK), logged as key admin', async () => {
      const answer = await playground.chat.completions.create({ model: 'other', messages: USER });
      assert.equal(answer.usage?.prompt_tokens, 16, 'usage of the recorded answer');
      assert.match(answer.choices[0]?.message.content ?? '', /Galaxy Day/, 'the recorded answer');
      setup.good.enqueue(openaiSseStep(STREAM));
      const stream = await playground.chat.completions.create({
        model: 'other',
        messages: USER,
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let usage: AnyJson;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        if (chunk.usage) usage = chunk.usage;
      }
      assert.ok(text.length > 100, 'streamed text');
      assert.deepEqual([usage?.prompt_tokens, usage?.completion_tokens], [16, 300], 'usage in the final chunk');
      await assert.rejects(
        new OpenAI({
          baseURL: `${setup.url}/admin/playground`,
          apiKey: CLIENT_KEY,
          maxRetries: 0,
        }).chat.completions.create({ model: 'other', messages: USER }),
        (error: unknown) => error instanceof OpenAI.AuthenticationError,
        'a client key is not the admin key',
      );
      const invalid = await setup.admin('/admin/playground/chat/completions', {
        method: 'POST',
        body: { messages: USER },
      });
      assert.equal(invalid.status, 400, 'no model');
      assert.equal(invalid.json.error.param, 'model', 'named in the OpenAI envelope');
      const unknown = await setup.admin('/admin/playground/chat/completions', {
        method: 'POST',
        body: { model: 'nope', messages: USER },
      });
      assert.equal(unknown.status, 404, 'unknown model');
      assert.equal(unknown.json.error.code, 'model_not_found');
      await setup.app.store.requestLog.flush();
      const logged = await setup.admin('/admin/requests?keyName=admin');
      assert.deepEqual(
        logged.json.data.map((row: AnyJson) => [row.keyName, row.keyId, row.publicModel, row.stream, row.status]),
        [
          ['admin', 'admin', 'nope', false, 404],
          ['admin', null, null, false, 400],
          ['admin', 'admin', 'other', true, 200],
          ['admin', 'admin', 'other', false, 200],
        ],
        'every playground request is in the log as admin',
      );
    });

    it('30-day statistics are reused for a few seconds; the last hour is always fresh', async () => {
      const before30d = (await setup.admin('/admin/stats/summary?range=30d')).json;
      const before1h = (await setup.admin('/admin/stats/summary?range=1h')).json;
      await client.chat.completions.create({ model: 'other', messages: USER });
      await setup.app.store.requestLog.flush();
      const after30d = (await setup.admin('/admin/stats/summary?range=30d')).json;
      const after1h = (await setup.admin('/admin/stats/summary?range=1h')).json;
      assert.deepEqual(after30d, before30d, 'the same 30-day answer within 10 s');
      assert.equal(after1h.requests, before1h.requests + 1, 'the hour counts the new request at once');
    });

    // Last: each refusal is a request log row (as every rejection is), which would change the counts above.
    it('bad query parameters are a 400 naming the field; an unknown request id a 404', async () => {
      const missing = await setup.admin('/admin/requests/req_does_not_exist');
      assert.equal(missing.status, 404, 'unknown id');
      assert.match(missing.json.error.message, /No request with id `req_does_not_exist`/);
      const cases: Array<[path: string, param: string]> = [
        ['/admin/requests?before=yesterday', 'before'],
        ['/admin/requests?before=12-ab', 'before'],
        ['/admin/requests?status=abc', 'status'],
        ['/admin/requests?limit=0', 'limit'],
        ['/admin/requests?since=soon', 'since'],
        ['/admin/stats/summary?range=2w', 'range'],
        ['/admin/stats/timeseries?range=90d', 'range'],
        ['/admin/stats/timeseries?groupBy=colour', 'groupBy'],
      ];
      for (const [path, param] of cases) {
        const bad = await setup.admin(path);
        assert.equal(bad.status, 400, path);
        assert.equal(bad.json.error.param, param, `${path}: names the field`);
        assert.equal(bad.json.error.type, 'invalid_request_error', `${path}: the OpenAI envelope`);
      }
    });

    it('every console route wants the admin key: 401 without it or with a wrong one, in the OpenAI envelope', async () => {
      for (const path of [...NEW_ROUTES, '/admin/playground/chat/completions']) {
        const method = path.includes('playground') ? 'POST' : 'GET';
        const body = method === 'POST' ? { model: 'other', messages: USER } : undefined;
        for (const key of [null, 'wrong-admin-key', CLIENT_KEY]) {
          const response = await setup.admin(path, { method, body, key });
          assert.equal(response.status, 401, `${method} ${path} with ${key ?? 'no key'}`);
          assert.equal(response.json.error.code, 'invalid_api_key', `${path}: the OpenAI error envelope`);
        }
      }
    });
  });
}

consoleSuite('sqlite', async () => ({ dispose: async () => undefined }));

const postgresUrl = await findPostgres();
if (postgresUrl === undefined) {
  postgresUnreachable('console admin API (postgres)');
} else {
  consoleSuite('postgres', async () => {
    const schema = `llmux_console_${randomBytes(6).toString('hex')}`;
    const store = await openPostgresStore(postgresUrl, { schema });
    return {
      store,
      async dispose() {
        const client = new pg.Client({ connectionString: postgresUrl });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      },
    };
  });
}

describe('console admin API without server.adminKey', () => {
  let setup: ConsoleSetup;
  before(async () => {
    setup = await startConsole(undefined, null);
  });
  after(async () => {
    await setup.close();
  });

  it('every console route is a 404, whatever key is sent', async () => {
    for (const path of NEW_ROUTES) {
      for (const key of [null, ADMIN_KEY]) {
        const response = await setup.admin(path, { key });
        assert.equal(response.status, 404, `${path} with ${key ?? 'no key'}: ${JSON.stringify(response.json)}`);
      }
    }
    const posted = await setup.admin('/admin/playground/chat/completions', {
      method: 'POST',
      body: { model: 'other', messages: USER },
    });
    assert.equal(posted.status, 404, 'no playground either');
  });

  it('/ui needs no key: a missing asset is a plain 404, not a 401', async () => {
    const response = await fetch(`${setup.url}/ui/assets/not-there-123.js`);
    assert.equal(response.status, 404, 'no key asked');
    assert.equal(await response.text(), 'Not found\n');
  });
});
