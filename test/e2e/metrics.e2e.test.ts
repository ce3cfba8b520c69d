/**
 * Issue 11, metrics: `GET /metrics` after a scripted sequence of requests (served, streamed, a 5xx
 * retried, a 429 from a limited key, a fallback, an unknown model, a wrong key) holds exactly the
 * counts of that sequence, with their labels; and who may read it.
 */
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import OpenAI, { RateLimitError } from 'openai';
import pino from 'pino';
import { createApp, type LlmuxApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config/index.ts';
import { type Gateway, startGateway } from '../support/gateway.ts';
import { openAIAnswer, openAIStreamFrames } from '../support/openai-steps.ts';
import { type Exposition, parseExposition } from '../support/prometheus.ts';
import { failure, rejection, USER } from './routing-support.ts';

const ALICE = 'sk-llmux-metrics-alice-0001';
const LIMITED = 'sk-llmux-metrics-limited-01';
const METRICS_KEY = 'metrics-scrape-secret-4242';

const CONFIG = `
router:
  cooldown: { failures: 1000 }
  retry: { attempts: 2, backoffMs: 1, maxBackoffMs: 2 }
models:
  - name: main
    deployments: [{ provider: up, model: up-model }]
  - name: primary
    retry: { attempts: 1 }
    fallbacks: [main]
    deployments: [{ provider: down, model: down-model }]
keys:
  - { name: alice, key: ${ALICE}, team: research }
  - { name: limited, key: ${LIMITED}, rpm: 1 }
teams:
  - { name: research }
pricing:
  models:
    - { model: up-model, input: 1, output: 2 }
`;

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Exposition> {
  const response = await fetch(`${url}/metrics`, { headers });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseExposition(text);
}

/** Rows in a stable order, whatever the exposition's. */
const order = (rows: Array<Record<string, unknown>>) =>
  rows.map((row) => JSON.stringify(row, Object.keys(row).sort())).sort();

const client = (gateway: Gateway, apiKey: string) =>
  new OpenAI({ baseURL: gateway.llmux.baseURL, apiKey, maxRetries: 0, timeout: 15_000 });

describe('GET /metrics after a scripted sequence of requests', () => {
  let gateway: Gateway;
  let metrics: Exposition;

  before(async () => {
    gateway = await startGateway({ upstreams: { up: 'openai-compatible', down: 'openai-compatible' }, config: CONFIG });
    const { up, down } = gateway.sims;
    assert.ok(up && down, 'both simulators');
    const alice = client(gateway, ALICE);
    // 1. served: 5 in, 3 out.
    up.enqueue(openAIAnswer('one', { prompt_tokens: 5, completion_tokens: 3 }));
    await alice.chat.completions.create({ model: 'main', messages: USER });
    // 2. streamed: 4 in, 2 out.
    up.enqueue({
      kind: 'sse-events',
      events: openAIStreamFrames(['a', 'b'], { prompt_tokens: 4, completion_tokens: 2 }),
    });
    const stream = await alice.chat.completions.create({ model: 'main', messages: USER, stream: true });
    for await (const _chunk of stream);
    // 3. a 500, retried on the same deployment: 5 in, 3 out.
    up.enqueue(failure(500, 'boom'), openAIAnswer('two', { prompt_tokens: 5, completion_tokens: 3 }));
    await alice.chat.completions.create({ model: 'main', messages: USER });
    // 4. rpm 1: the limited key's first request is served, its second refused.
    const limited = client(gateway, LIMITED);
    up.enqueue(openAIAnswer('three', { prompt_tokens: 5, completion_tokens: 3 }));
    await limited.chat.completions.create({ model: 'main', messages: USER });
    const refused = await rejection(limited.chat.completions.create({ model: 'main', messages: USER }));
    assert.ok(refused instanceof RateLimitError, `429 from the limit: ${String(refused)}`);
    // 5. primary fails with a 503 and falls back to main: 5 in, 3 out.
    down.enqueue(failure(503, 'primary down'));
    up.enqueue(openAIAnswer('four', { prompt_tokens: 5, completion_tokens: 3 }));
    await alice.chat.completions.create({ model: 'primary', messages: USER });
    // 6. an unknown model, and a wrong key.
    await rejection(alice.chat.completions.create({ model: 'no-such-model-x7', messages: USER }));
    await rejection(
      client(gateway, 'sk-llmux-wrong-key-000000').chat.completions.create({ model: 'main', messages: USER }),
    );
    metrics = await scrape(gateway.llmux.url);
  });

  after(() => gateway?.close());

  it('counts each request once, by surface, model, provider, deployment, status class and error code', () => {
    const requests = metrics.find('llmux_requests_total').map(({ labels, value }) => ({ ...labels, value }));
    const expected = [
      { model: 'main', provider: 'up', deployment: 'main#0', status_class: '2xx', error_code: '', value: 4 },
      { model: 'primary', provider: 'up', deployment: 'main#0', status_class: '2xx', error_code: '', value: 1 },
      { model: 'main', provider: '', deployment: '', status_class: '4xx', error_code: 'rate_limit_exceeded', value: 1 },
      {
        model: '(unresolved)',
        provider: '',
        deployment: '',
        status_class: '4xx',
        error_code: 'model_not_found',
        value: 1,
      },
      {
        model: '(unresolved)',
        provider: '',
        deployment: '',
        status_class: '4xx',
        error_code: 'invalid_api_key',
        value: 1,
      },
    ].map((row) => ({ surface: 'openai-chat', ...row }));
    assert.deepEqual(order(requests), order(expected));
  });

  it('counts every upstream attempt by its own outcome (the retried 500 and the fallen-back 503 included)', () => {
    const attempts = metrics.find('llmux_upstream_attempts_total').map(({ labels, value }) => ({ ...labels, value }));
    assert.deepEqual(
      order(attempts),
      order([
        { provider: 'up', deployment: 'main#0', outcome: '5xx', value: 1 },
        { provider: 'down', deployment: 'primary#0', outcome: '5xx', value: 1 },
        { provider: 'up', deployment: 'main#0', outcome: 'ok', value: 5 },
      ]),
    );
  });

  it('tokens and cost by model, key and team; the 429 by the limit that refused it', () => {
    const alice = { model: 'main', key: 'alice', team: 'research' };
    assert.equal(metrics.value('llmux_tokens_total', { ...alice, kind: 'input' }), 14);
    assert.equal(metrics.value('llmux_tokens_total', { ...alice, kind: 'output' }), 8);
    assert.equal(
      metrics.value('llmux_tokens_total', { model: 'primary', key: 'alice', team: 'research', kind: 'input' }),
      5,
    );
    assert.equal(metrics.value('llmux_tokens_total', { model: 'main', key: 'limited', team: '', kind: 'output' }), 3);
    assert.equal(metrics.find('llmux_tokens_total', { kind: 'cached' }).length, 0, 'no cached tokens were reported');
    const cost = metrics.value('llmux_cost_usd_total', alice) ?? Number.NaN;
    assert.ok(Math.abs(cost - 30e-6) < 1e-12, `alice on main: (14 × $1 + 8 × $2) / 1M = $0.00003, got ${cost}`);
    assert.deepEqual(
      metrics.find('llmux_rate_limited_total').map(({ labels, value }) => ({ ...labels, value })),
      [{ key: 'limited', team: '', limit: 'rpm', value: 1 }],
    );
  });

  it('latency histograms for the requests that reached an upstream, TTFT for the answered ones', () => {
    assert.equal(metrics.value('llmux_request_duration_seconds_count', { model: 'main', provider: 'up' }), 4);
    assert.equal(metrics.value('llmux_request_duration_seconds_count', { model: 'primary', provider: 'up' }), 1);
    assert.equal(metrics.value('llmux_time_to_first_token_seconds_count', { model: 'main', provider: 'up' }), 4);
    assert.equal(metrics.sum('llmux_request_duration_seconds_count'), 5, 'refused requests are not timed');
  });

  it('gauges: nothing in flight at the scrape, both deployments closed, the request log writer read live', () => {
    assert.equal(metrics.value('llmux_in_flight_requests'), 0);
    for (const deployment of ['main#0', 'primary#0']) {
      assert.equal(metrics.value('llmux_deployment_state', { deployment, state: 'closed' }), 1);
      assert.equal(metrics.value('llmux_deployment_state', { deployment, state: 'open' }), 0);
      assert.equal(metrics.value('llmux_deployment_state', { deployment, state: 'half_open' }), 0);
    }
    const buffered = metrics.value('llmux_request_log_buffered');
    assert.ok(buffered !== undefined && buffered >= 0 && buffered <= 8, `buffered rows: ${buffered}`);
    assert.equal(metrics.value('llmux_request_log_dropped_total'), 0);
    assert.ok(metrics.find('process_resident_memory_bytes').length === 1, 'default process metrics');
  });
});

describe('who may read /metrics', () => {
  it('with server.metricsKey: 401 without it or with another key (also a client key), 200 with it', async () => {
    const gateway = await startGateway({
      upstreams: { up: 'openai-compatible' },
      config: `server: { metricsKey: ${METRICS_KEY} }\nmodels:\n  - { name: main, deployments: [{ provider: up, model: m }] }\n`,
    });
    try {
      const { url } = gateway.llmux;
      for (const headers of [
        {},
        { authorization: 'Bearer wrong-metrics-key-0000' },
        { authorization: `Bearer ${gateway.llmux.apiKey}` },
      ]) {
        const response = await fetch(`${url}/metrics`, { headers });
        const body = (await response.json()) as { error?: { code?: string; message?: string } };
        assert.equal(response.status, 401, JSON.stringify(body));
        assert.equal(body.error?.code, 'invalid_api_key');
        assert.match(body.error?.message ?? '', /server\.metricsKey/);
      }
      const scraped = await scrape(url, { authorization: `Bearer ${METRICS_KEY}` });
      // The three refused scrapes are themselves counted as rejections.
      assert.equal(
        scraped.value('llmux_requests_total', {
          surface: '',
          model: '(unresolved)',
          provider: '',
          deployment: '',
          status_class: '4xx',
          error_code: 'invalid_api_key',
        }),
        3,
      );
      assert.equal(
        (
          await fetch(`${url}/metrics`, {
            headers: { 'x-forwarded-for': '203.0.113.9', authorization: `Bearer ${METRICS_KEY}` },
          })
        ).status,
        200,
        'a key works through a proxy too',
      );
    } finally {
      await gateway.close();
    }
  });

  it('without a key: loopback only; a request through a proxy (forwarded headers) is refused', async () => {
    const gateway = await startGateway({
      upstreams: { up: 'openai-compatible' },
      config: 'models:\n  - { name: main, deployments: [{ provider: up, model: m }] }\n',
    });
    try {
      const { url } = gateway.llmux;
      await scrape(url);
      for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
        const response = await fetch(`${url}/metrics`, { headers: { [header]: 'for=203.0.113.9' } });
        const body = (await response.json()) as { error?: { message?: string } };
        assert.equal(response.status, 403, `${header}: ${JSON.stringify(body)}`);
        assert.match(body.error?.message ?? '', /through a proxy/);
      }
    } finally {
      await gateway.close();
    }
  });

  it('without a key: a client on a non-loopback address of this machine gets 403', async (t) => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry !== undefined && !entry.internal && entry.family === 'IPv4')?.address;
    if (address === undefined) {
      t.skip('this machine has no non-loopback IPv4 address');
      return;
    }
    const app: LlmuxApp = await createApp(
      parseConfig('store: { sqlite: ":memory:" }\nmodels: []\n', {}, 'metrics-remote.yaml'),
      { logger: pino({ level: 'silent' }) },
    );
    try {
      const listening = await app.server.listen({ port: 0, host: address });
      const response = await fetch(`${listening}/metrics`);
      const body = (await response.json()) as { error?: { message?: string } };
      assert.equal(response.status, 403, JSON.stringify(body));
      assert.match(body.error?.message ?? '', /loopback clients only while server\.metricsKey is unset/);
    } finally {
      await app.close();
    }
  });

  it('metrics.enabled: false: no /metrics route (404 for a client key, 401 without one)', async () => {
    const gateway = await startGateway({
      upstreams: { up: 'openai-compatible' },
      config: 'metrics: { enabled: false }\nmodels:\n  - { name: main, deployments: [{ provider: up, model: m }] }\n',
    });
    try {
      const { url, apiKey } = gateway.llmux;
      assert.equal(
        (await fetch(`${url}/metrics`)).status,
        401,
        'an ordinary unknown path: the client key is checked first',
      );
      assert.equal((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${apiKey}` } })).status, 404);
    } finally {
      await gateway.close();
    }
  });

  it('metrics.keyLabel: false: tokens and cost by team only', async () => {
    const gateway = await startGateway({
      upstreams: { up: 'openai-compatible' },
      config: `metrics: { keyLabel: false }\nmodels:\n  - { name: main, deployments: [{ provider: up, model: up-model }] }\npricing: { models: [{ model: up-model, input: 1, output: 1 }] }\n`,
    });
    try {
      gateway.sims.up?.enqueue(openAIAnswer('x', { prompt_tokens: 7, completion_tokens: 2 }));
      await gateway.client.chat.completions.create({ model: 'main', messages: USER });
      const scraped = await scrape(gateway.llmux.url);
      assert.deepEqual(
        scraped.find('llmux_tokens_total').map(({ labels, value }) => ({ ...labels, value })),
        [
          { model: 'main', team: '', kind: 'input', value: 7 },
          { model: 'main', team: '', kind: 'output', value: 2 },
        ],
      );
      assert.deepEqual(Object.keys(scraped.find('llmux_cost_usd_total')[0]?.labels ?? {}), ['model', 'team']);
    } finally {
      await gateway.close();
    }
  });
});
