/**
 * Issue 11, logs: a real `llmux serve` process at log level info, holding every kind of secret a
 * config can (provider keys, a credential header, client, admin and metrics keys, the Postgres and
 * Redis passwords), gets traffic (a served request, a wrong key, an upstream error echoing the keys,
 * admin and metrics calls). Its whole stdout and stderr hold none of the secrets, and one access
 * line per served request with its fields.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createClient } from 'redis';
import { type LlmuxChild, startLlmuxChild, writeDataDir } from '../support/llmux-child.ts';
import { dotnetStep } from '../support/openai-replay.ts';
import { findPostgres, postgresUnreachable } from '../support/postgres.ts';
import { findRedis, redisUnreachable } from '../support/redis.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';

// Not key-shaped (no `sk-`): only knowing the configured secrets can keep them out of the log.
const PROVIDER_KEY = 'provider-secret-4f1c9a7e';
const HEADER_SECRET = 'header-secret-b83d02aa';
const ANTHROPIC_KEY = 'anthropic-secret-77ce10';
const CLIENT_KEY = 'client-secret-alice-9e2f';
const OTHER_CLIENT_KEY = 'client-secret-bob-41d7a';
const ADMIN_KEY = 'admin-secret-0c5e8b3d2a';
const METRICS_KEY = 'metrics-secret-6a90f1e3';
const POSTGRES_PASSWORD = 'pg-password-d41e7c';
const REDIS_PASSWORD = 'redis-password-8b3f2e';
const WRONG_KEY = 'presented-wrong-key-5c7e9a';
const SECRETS = [
  PROVIDER_KEY,
  HEADER_SECRET,
  ANTHROPIC_KEY,
  CLIENT_KEY,
  OTHER_CLIENT_KEY,
  ADMIN_KEY,
  METRICS_KEY,
  POSTGRES_PASSWORD,
  REDIS_PASSWORD,
  WRONG_KEY,
];
type RedisAdmin = Pick<ReturnType<typeof createClient>, 'connect' | 'sendCommand' | 'destroy'>;
/** A Redis database of this test's own. */
const REDIS_DB = 11;

const postgresUrl = await findPostgres();
const redisBase = await findRedis();

if (postgresUrl === undefined) postgresUnreachable('access log and secrets of a real llmux process');
else if (redisBase === undefined) redisUnreachable('access log and secrets of a real llmux process');
else {
  describe('a real llmux process logs one access line per request and none of its secrets', () => {
    const suffix = randomBytes(4).toString('hex');
    const schema = `llmux_access_log_${suffix}`;
    const redisUser = `llmux-access-log-${suffix}`;
    let sim: Simulator;
    let llmux: LlmuxChild;
    let dataDir: ReturnType<typeof writeDataDir>;
    let servedId: string;
    let failedId: string;
    let metricsText: string;

    const redisAdmin = async <T>(run: (client: RedisAdmin) => Promise<T>): Promise<T> => {
      const client: RedisAdmin = createClient({ url: redisBase });
      await client.connect();
      try {
        return await run(client);
      } finally {
        client.destroy();
      }
    };

    before(async () => {
      const db = new pg.Client({ connectionString: postgresUrl });
      await db.connect();
      await db.query(`create schema ${schema}`);
      await db.end();
      // A user of this test's own, so that the Redis URL carries a password Redis checks.
      await redisAdmin((client) =>
        client.sendCommand(['ACL', 'SETUSER', redisUser, 'on', `>${REDIS_PASSWORD}`, '~*', '&*', '+@all']),
      );
      const store = new URL(postgresUrl);
      // A trust-auth Postgres ignores it; a URL that came with its own password keeps it (and it is checked below).
      if (store.password === '') store.password = POSTGRES_PASSWORD;
      store.searchParams.set('options', `-c search_path=${schema}`);
      const redis = new URL(redisBase);
      redis.username = redisUser;
      redis.password = REDIS_PASSWORD;
      redis.pathname = `/${REDIS_DB}`;
      sim = await startUpstreamSimulator();
      sim.route('/v1/chat/completions', (request) => {
        const body = request.json as { model?: string };
        if (body.model === 'echo-model') {
          const seen = `${String(request.headers.authorization)} ${String(request.headers['x-upstream-token'])}`;
          return {
            kind: 'json',
            status: 500,
            body: {
              error: {
                message: `upstream rejected ${seen}; client said ${CLIENT_KEY} ${OTHER_CLIENT_KEY}`,
                type: `server_error_${PROVIDER_KEY}`,
                param: HEADER_SECRET,
                code: `code_${PROVIDER_KEY}`,
              },
            },
          };
        }
        return dotnetStep('openai/openai-dotnet/ReasoningTokensWork.json');
      });
      dataDir = writeDataDir(
        'llmux-access-log-',
        () => `
server: { adminKey: ${ADMIN_KEY}, metricsKey: ${METRICS_KEY} }
store: { postgres: ${JSON.stringify(store.href)}, flushIntervalMs: 100, journal: false }
redis: ${JSON.stringify(redis.href)}
providers:
  up: { type: openai-compatible, apiKey: ${PROVIDER_KEY}, baseUrl: "${sim.url}/v1", headers: { x-upstream-token: ${HEADER_SECRET} } }
  claude: { type: anthropic, apiKey: ${ANTHROPIC_KEY}, baseUrl: "${sim.url}" }
models:
  - { name: main, deployments: [{ provider: up, model: o3-mini }] }
  - { name: echo, deployments: [{ provider: up, model: echo-model }] }
  - { name: claude, deployments: [{ provider: claude, model: claude-sonnet-4-5 }] }
router: { retry: { attempts: 1 }, cooldown: { failures: 1000 } }
keys:
  - { name: alice, key: ${CLIENT_KEY}, team: research }
  - { name: bob, key: ${OTHER_CLIENT_KEY} }
teams:
  - { name: research }
pricing:
  models:
    - { model: o3-mini, input: 1.1, output: 4.4 }
`,
      );
      llmux = await startLlmuxChild(dataDir.configPath);
      const chat = (key: string, model: string) =>
        fetch(`${llmux.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
        });
      const served = await chat(CLIENT_KEY, 'main');
      assert.equal(served.status, 200, await served.clone().text());
      servedId = served.headers.get('x-request-id') ?? '';
      await served.text();
      const wrong = await chat(WRONG_KEY, 'main');
      assert.equal(wrong.status, 401, 'a wrong key');
      const failed = await chat(OTHER_CLIENT_KEY, 'echo');
      const failedBody = await failed.text();
      assert.equal(failed.status, 500, failedBody);
      for (const secret of SECRETS) assert.ok(!failedBody.includes(secret), `the client's error has no ${secret}`);
      failedId = failed.headers.get('x-request-id') ?? '';
      const keys = await fetch(`${llmux.url}/admin/keys`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      assert.equal(keys.status, 200, await keys.text());
      assert.equal(
        (await fetch(`${llmux.url}/metrics`, { headers: { authorization: `Bearer ${WRONG_KEY}` } })).status,
        401,
      );
      const metrics = await fetch(`${llmux.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_KEY}` } });
      metricsText = await metrics.text();
      assert.equal(metrics.status, 200, metricsText);
      // SIGTERM: the shutdown lines too, after the request log's last flush.
      const exit = await llmux.stop('SIGTERM');
      assert.equal(exit.code, 0, llmux.output());
    });

    after(async () => {
      await llmux?.stop();
      await sim?.close();
      dataDir?.remove();
      await redisAdmin((client) => client.sendCommand(['ACL', 'DELUSER', redisUser])).catch(() => undefined);
      const db = new pg.Client({ connectionString: postgresUrl });
      await db.connect();
      await db.query(`drop schema if exists ${schema} cascade`);
      await db.end();
    });

    it('stdout and stderr hold none of the configured secrets (nor the wrong key presented), /metrics neither', () => {
      const output = llmux.output();
      assert.ok(llmux.logs.length >= 8, `the process logged (${llmux.logs.length} lines)`);
      for (const secret of SECRETS) {
        assert.ok(!output.includes(secret), `the log holds ${secret}:\n${output}`);
        assert.ok(!metricsText.includes(secret), `/metrics holds ${secret}`);
      }
      assert.ok(
        output.includes('[redacted]'),
        'the echoed secrets were there to redact (the upstream error is logged)',
      );
    });

    it('the served request has one access line with its fields', () => {
      const lines = llmux.entries.filter((entry) => entry.msg === 'request' && entry.requestId === servedId);
      assert.equal(lines.length, 1, `one access line for ${servedId}:\n${llmux.output()}`);
      const line = lines[0] ?? {};
      assert.equal(line.level, 30, 'info');
      assert.deepEqual(
        {
          keyName: line.keyName,
          team: line.team,
          surface: line.surface,
          model: line.model,
          provider: line.provider,
          deployment: line.deployment,
          upstreamModel: line.upstreamModel,
          status: line.status,
          inputTokens: line.inputTokens,
          outputTokens: line.outputTokens,
          cachedInputTokens: line.cachedInputTokens,
          reasoningTokens: line.reasoningTokens,
          attempts: line.attempts,
          fallback: line.fallback,
          stream: line.stream,
        },
        {
          keyName: 'alice',
          team: 'research',
          surface: 'openai-chat',
          model: 'main',
          provider: 'up',
          deployment: 'main#0',
          upstreamModel: 'o3-mini',
          status: 200,
          inputTokens: 34,
          outputTokens: 863,
          cachedInputTokens: 0,
          reasoningTokens: 128,
          attempts: 1,
          fallback: false,
          stream: false,
        },
      );
      assert.ok(typeof line.latencyMs === 'number' && line.latencyMs >= 0, `latencyMs: ${line.latencyMs}`);
      assert.ok(typeof line.ttftMs === 'number' && line.ttftMs <= (line.latencyMs as number), `ttftMs: ${line.ttftMs}`);
      // 34 × $1.10 + 863 × $4.40 per 1M tokens = 3834.6 µUSD, priced in whole micro-dollars.
      assert.equal(line.costUsd, 0.003835);
      assert.equal(line.errorCode, undefined, 'no error code on a success');
    });

    it('the failed request has its access line with the error code; the wrong key its rejection line', () => {
      const failed = llmux.entries.find((entry) => entry.msg === 'request' && entry.requestId === failedId);
      assert.ok(failed, `an access line for ${failedId}`);
      assert.equal(failed.status, 500);
      assert.equal(failed.errorCode, 'upstream_error');
      assert.equal(failed.keyName, 'bob');
      assert.equal(failed.attempts, 1);
      const rejected = llmux.entries.filter((entry) => entry.code === 'invalid_api_key');
      assert.equal(rejected.length, 2, 'the wrong chat key and the wrong metrics key');
      assert.ok(
        rejected.every((entry) => entry.level === 40 && typeof entry.requestId === 'string'),
        'warnings with a request id',
      );
    });
  });
}
