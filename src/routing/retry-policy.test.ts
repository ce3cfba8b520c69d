import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../core/errors.ts';
import { decideAfterFailure, isDeploymentFailure, mayRetrySameDeployment, retryDelayMs } from './retry-policy.ts';

const POLICY = { attempts: 5, backoffMs: 200, maxBackoffMs: 1000, maxRetryAfterMs: 5000 };

const upstream = (status: number, code: ConstructorParameters<typeof GatewayError>[0] = 'upstream_error') =>
  new GatewayError(code, `HTTP ${status}`, {
    status,
    upstreamStatus: status,
    retryable: status === 408 || status === 409 || status === 429 || status >= 500,
  });

describe('retry policy', () => {
  it('retries connection errors, timeouts, broken bodies, 408, 409, 429 and 5xx', () => {
    for (const error of [
      new GatewayError('upstream_connect_error', 'refused'),
      new GatewayError('upstream_timeout', 'no response headers within 100 ms'),
      new GatewayError('upstream_bad_response', 'not JSON'),
      upstream(408),
      upstream(409),
      upstream(429, 'rate_limit_exceeded'),
      upstream(500),
      upstream(503),
    ]) {
      assert.equal(decideAfterFailure(error), 'retry', error.message);
      assert.equal(isDeploymentFailure(error), true, error.message);
    }
  });

  it('never retries other 4xx; context window and content policy go to the fallbacks', () => {
    assert.equal(decideAfterFailure(upstream(400, 'invalid_request')), 'final');
    assert.equal(decideAfterFailure(upstream(401, 'invalid_api_key')), 'final');
    assert.equal(decideAfterFailure(upstream(404, 'model_not_found')), 'final');
    assert.equal(decideAfterFailure(upstream(400, 'context_length_exceeded')), 'fallback');
    assert.equal(decideAfterFailure(upstream(400, 'content_policy_violation')), 'fallback');
    assert.equal(decideAfterFailure(new GatewayError('client_closed', 'gone')), 'final');
    assert.equal(isDeploymentFailure(upstream(400, 'context_length_exceeded')), false);
  });

  it('never counts against the deployment what the request caused, whatever status it came with', () => {
    for (const error of [
      upstream(400, 'invalid_request'),
      upstream(403, 'invalid_request'),
      upstream(404, 'model_not_found'),
      upstream(413, 'invalid_request'),
      upstream(422, 'invalid_request'),
      upstream(400, 'context_length_exceeded'),
      upstream(500, 'context_length_exceeded'),
      upstream(400, 'content_policy_violation'),
      upstream(503, 'content_policy_violation'),
      new GatewayError('client_closed', 'gone'),
      new GatewayError('shutting_down', 'bye'),
    ]) {
      assert.equal(isDeploymentFailure(error), false, `${error.code} ${error.status}`);
    }
  });

  it('a rejected provider key counts against the deployment and is retried elsewhere, never there', () => {
    const rejected = new GatewayError('upstream_auth_failed', 'Provider "p" rejected…', { upstreamStatus: 401 });
    assert.equal(isDeploymentFailure(rejected), true, 'every request there fails alike');
    assert.equal(decideAfterFailure(rejected), 'retry', 'another deployment may have a good key');
    assert.equal(mayRetrySameDeployment(rejected), false, 'the same key would be refused again');
    assert.equal(mayRetrySameDeployment(upstream(500)), true, 'a 500 may pass on a retry');
    assert.equal(isDeploymentFailure(upstream(401, 'invalid_api_key')), false, 'a 401 llmux gave itself');
  });

  it('waits for the retry hint when within maxRetryAfterMs, else backs off exponentially with jitter', () => {
    assert.equal(
      retryDelayMs(POLICY, 1, 1500, () => 0.5),
      1500,
    );
    assert.equal(
      retryDelayMs(POLICY, 1, 0, () => 0.5),
      0,
    );
    for (const [retry, base] of [
      [1, 200],
      [2, 400],
      [3, 800],
      [4, 1000],
      [9, 1000],
    ] as const) {
      assert.equal(
        retryDelayMs(POLICY, retry, undefined, () => 0),
        base,
        `retry ${retry} without jitter`,
      );
      assert.equal(
        retryDelayMs(POLICY, retry, undefined, () => 1),
        base * 0.75,
        `retry ${retry} with full jitter`,
      );
    }
    assert.equal(
      retryDelayMs(POLICY, 1, 60_000, () => 0),
      200,
      'a hint above the cap is ignored',
    );
  });
});
