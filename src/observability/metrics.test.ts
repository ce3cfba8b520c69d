import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseExposition } from '../../test/support/prometheus.ts';
import { createGatewayMetrics, type MetricsSources } from './metrics.ts';
import { type ObservedRequest, UNRESOLVED_MODEL } from './metrics-labels.ts';

const MODELS = new Set(['gpt', 'local/*']);

function sources(overrides: Partial<MetricsSources> = {}): MetricsSources {
  return {
    inFlight: () => 0,
    requestLog: () => ({ buffered: 0, dropped: 0 }),
    deploymentStates: () => [],
    isPublicModel: (name) => MODELS.has(name),
    ...overrides,
  };
}

function served(overrides: Partial<ObservedRequest> = {}): ObservedRequest {
  return {
    keyName: 'alice',
    team: 'research',
    publicModel: 'gpt',
    provider: 'openai',
    status: 200,
    latencyMs: 1500,
    ttftMs: 300,
    inputTokens: 10,
    outputTokens: 4,
    cachedInputTokens: 6,
    reasoningTokens: 2,
    costMicros: 1234,
    surface: 'openai-chat',
    errorCode: null,
    attemptLog: [{ provider: 'openai', deployment: 'gpt#0', outcome: 'ok' }],
    ...overrides,
  };
}

describe('gateway metrics', () => {
  test('one settled request updates every counter and histogram with its labels', async () => {
    const metrics = createGatewayMetrics({ keyLabel: true, sources: sources() });
    metrics.observe(served());
    metrics.observe(
      served({
        attemptLog: [
          { provider: 'openai', deployment: 'gpt#0', outcome: '5xx' },
          { provider: 'azure', deployment: 'gpt#1', outcome: 'ok' },
        ],
        provider: 'azure',
        ttftMs: 45_000,
        latencyMs: 90_000,
      }),
    );
    const scrape = parseExposition(await metrics.render());
    const base = { surface: 'openai-chat', model: 'gpt', status_class: '2xx', error_code: '' };
    assert.equal(scrape.value('llmux_requests_total', { ...base, provider: 'openai', deployment: 'gpt#0' }), 1);
    assert.equal(scrape.value('llmux_requests_total', { ...base, provider: 'azure', deployment: 'gpt#1' }), 1);
    assert.equal(
      scrape.value('llmux_upstream_attempts_total', { provider: 'openai', deployment: 'gpt#0', outcome: 'ok' }),
      1,
    );
    assert.equal(
      scrape.value('llmux_upstream_attempts_total', { provider: 'openai', deployment: 'gpt#0', outcome: '5xx' }),
      1,
    );
    const who = { model: 'gpt', key: 'alice', team: 'research' };
    assert.equal(scrape.value('llmux_tokens_total', { ...who, kind: 'input' }), 20);
    assert.equal(scrape.value('llmux_tokens_total', { ...who, kind: 'output' }), 8);
    assert.equal(scrape.value('llmux_tokens_total', { ...who, kind: 'cached' }), 12);
    assert.equal(scrape.value('llmux_tokens_total', { ...who, kind: 'reasoning' }), 4);
    assert.ok(Math.abs((scrape.value('llmux_cost_usd_total', who) ?? 0) - 0.002468) < 1e-12, 'cost in USD');
    // 45 s to the first token and 90 s in all land in the minute-scale buckets.
    const azure = { model: 'gpt', provider: 'azure' };
    assert.equal(scrape.value('llmux_time_to_first_token_seconds_bucket', { ...azure, le: '30' }), 0);
    assert.equal(scrape.value('llmux_time_to_first_token_seconds_bucket', { ...azure, le: '60' }), 1);
    assert.equal(scrape.value('llmux_request_duration_seconds_bucket', { ...azure, le: '60' }), 0);
    assert.equal(scrape.value('llmux_request_duration_seconds_bucket', { ...azure, le: '120' }), 1);
    assert.equal(scrape.value('llmux_request_duration_seconds_sum', azure), 90);
    assert.equal(scrape.types.get('llmux_request_duration_seconds'), 'histogram');
    assert.equal(scrape.types.get('llmux_requests_total'), 'counter');
  });

  test('a model name that is not configured is counted under one fixed label, however many names arrive', async () => {
    const metrics = createGatewayMetrics({ keyLabel: true, sources: sources() });
    for (let i = 0; i < 50; i++) {
      metrics.observe(
        served({
          publicModel: `garbage-${i}`,
          provider: null,
          status: 404,
          errorCode: 'model_not_found',
          attemptLog: [],
        }),
      );
    }
    metrics.observe(
      served({
        publicModel: null,
        keyName: null,
        team: null,
        provider: null,
        status: 401,
        errorCode: 'invalid_api_key',
      }),
    );
    metrics.observe(served({ publicModel: 'local/*' }));
    const scrape = parseExposition(await metrics.render());
    const models = new Set(scrape.find('llmux_requests_total').map((sample) => sample.labels.model));
    assert.deepEqual([...models].sort(), ['(unresolved)', 'local/*'].sort(), 'only configured names and the fixed one');
    assert.equal(UNRESOLVED_MODEL, '(unresolved)');
    assert.equal(
      scrape.sum('llmux_requests_total', {
        model: UNRESOLVED_MODEL,
        status_class: '4xx',
        error_code: 'model_not_found',
      }),
      50,
    );
    assert.equal(scrape.find('llmux_request_duration_seconds_count', { model: UNRESOLVED_MODEL }).length, 0);
  });

  test('a request refused by a limit counts under the limit its record names; keyLabel false drops the key label', async () => {
    for (const keyLabel of [true, false]) {
      const metrics = createGatewayMetrics({ keyLabel, sources: sources() });
      metrics.observe(
        served({
          provider: null,
          status: 429,
          errorCode: 'rate_limit_exceeded',
          refusedByLimit: 'team.tpm',
          attemptLog: [],
        }),
      );
      metrics.observe(served());
      const scrape = parseExposition(await metrics.render());
      const limited = scrape.find('llmux_rate_limited_total');
      assert.equal(limited.length, 1, 'one rate-limited series');
      assert.deepEqual(
        limited[0]?.labels,
        keyLabel ? { key: 'alice', team: 'research', limit: 'team.tpm' } : { team: 'research', limit: 'team.tpm' },
      );
      for (const name of ['llmux_tokens_total', 'llmux_cost_usd_total']) {
        for (const sample of scrape.find(name)) {
          assert.equal('key' in sample.labels, keyLabel, `${name} has a key label only when keyLabel is on`);
        }
      }
      assert.equal(scrape.sum('llmux_tokens_total', { team: 'research', kind: 'input' }), 10);
    }
  });

  test('gauges read their sources at scrape time', async () => {
    let inFlight = 3;
    const states: Array<{ deployment: string; state: 'closed' | 'open' | 'half-open' }> = [
      { deployment: 'gpt#0', state: 'open' },
      { deployment: 'gpt#1', state: 'half-open' },
    ];
    const metrics = createGatewayMetrics({
      keyLabel: true,
      sources: sources({
        inFlight: () => inFlight,
        requestLog: () => ({ buffered: 17, dropped: 4 }),
        deploymentStates: () => states,
      }),
    });
    let scrape = parseExposition(await metrics.render());
    assert.equal(scrape.value('llmux_in_flight_requests'), 3);
    assert.equal(scrape.value('llmux_request_log_buffered'), 17);
    assert.equal(scrape.value('llmux_request_log_dropped_total'), 4);
    assert.equal(scrape.types.get('llmux_request_log_dropped_total'), 'counter');
    assert.equal(scrape.value('llmux_deployment_state', { deployment: 'gpt#0', state: 'open' }), 1);
    assert.equal(scrape.value('llmux_deployment_state', { deployment: 'gpt#0', state: 'closed' }), 0);
    assert.equal(scrape.value('llmux_deployment_state', { deployment: 'gpt#1', state: 'half_open' }), 1);
    inFlight = 0;
    states.splice(1, 1, { deployment: 'gpt#2', state: 'closed' });
    scrape = parseExposition(await metrics.render());
    assert.equal(scrape.value('llmux_in_flight_requests'), 0);
    assert.equal(scrape.find('llmux_deployment_state', { deployment: 'gpt#1' }).length, 0, 'a removed deployment goes');
    assert.equal(scrape.value('llmux_deployment_state', { deployment: 'gpt#2', state: 'closed' }), 1);
  });

  test('default process metrics keep their standard names, on llmux’s own registry', async () => {
    const metrics = createGatewayMetrics({ keyLabel: true, sources: sources() });
    const scrape = parseExposition(await metrics.render());
    assert.ok(scrape.find('process_cpu_seconds_total').length === 1, 'process_cpu_seconds_total');
    assert.ok(scrape.find('nodejs_heap_size_used_bytes').length === 1, 'nodejs_heap_size_used_bytes');
    // A second registry in the same process (a reload, tests) does not collide with the first.
    const other = createGatewayMetrics({ keyLabel: false, sources: sources() });
    other.observe(served());
    const first = parseExposition(await metrics.render());
    assert.equal(first.find('llmux_requests_total').length, 0, 'the first registry saw no request');
  });
});
