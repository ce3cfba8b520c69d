/**
 * Issue 12 item 5: one tenant must not black out a shared deployment. The circuit breaker counts
 * requests, not attempts (a request retried on the only deployment counts once), and never counts
 * errors the request caused. Default cooldown policy (3 requests, half of the window's traffic).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import { answer, failure, type RoutingSetup, rejection, setup, USER } from './routing-support.ts';

const TENANT_A = 'sk-llmux-tenant-a-key';
const TENANT_B = 'sk-llmux-tenant-b-key';
const CONFIG = `
router:
  retry: { attempts: 3, backoffMs: 5, maxBackoffMs: 10, maxRetryAfterMs: 1000 }
models:
  - name: local/*
    deployments: [{ provider: local, model: "*" }]
keys:
  - { name: tenant-a, key: ${TENANT_A}, models: ["*"] }
  - { name: tenant-b, key: ${TENANT_B}, models: ["*"] }
`;

describe('routing: one request cannot open a shared circuit', () => {
  let env: RoutingSetup | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  const clientFor = (routing: RoutingSetup, apiKey: string) =>
    new OpenAI({ baseURL: routing.llmux.baseURL, apiKey, maxRetries: 0, timeout: 15_000 });

  it("a request whose upstream answers 500 on every retry leaves the deployment to the other tenants' requests", async () => {
    env = await setup(['local'], CONFIG);
    const local = env.sims.local;
    assert.ok(local, 'the local simulator runs');
    local.enqueue(failure(500, 'boom'), failure(500, 'boom'), failure(500, 'boom'));
    local.setDefault(answer('served'));

    const failed = await rejection(
      clientFor(env, TENANT_A).chat.completions.create({ model: 'local/m1', messages: USER }),
    );
    assert.ok(failed instanceof APIError, 'tenant A gets an error');
    assert.equal(failed.status, 500, "tenant A gets the upstream's 500");
    assert.equal(local.requests.length, 3, 'tenant A used its three attempts on the only deployment');

    // Before the fix each attempt counted, so these three opened the circuit: 503 for everyone.
    const other = await clientFor(env, TENANT_B).chat.completions.create({ model: 'local/m2', messages: USER });
    assert.equal(other.choices[0]?.message.content, 'served', "tenant B's request is served");
    assert.equal(local.requests.length, 4, 'the deployment saw tenant B');
  });

  it('failures from several distinct requests do open it', async () => {
    env = await setup(['local'], CONFIG);
    const local = env.sims.local;
    assert.ok(local, 'the local simulator runs');
    local.setDefault(failure(503, 'overloaded'));
    const client = clientFor(env, TENANT_A);
    for (let i = 0; i < 3; i++) {
      const error = await rejection(client.chat.completions.create({ model: `local/m${i}`, messages: USER }));
      assert.ok(error instanceof APIError, `request ${i} fails`);
    }
    const seen = local.requests.length;
    const error = await rejection(
      clientFor(env, TENANT_B).chat.completions.create({ model: 'local/m', messages: USER }),
    );
    assert.ok(error instanceof APIError, 'the next request fails');
    assert.equal(error.status, 503, 'the deployment is cooling down');
    assert.equal(error.code, 'no_deployment_available');
    assert.equal(local.requests.length, seen, 'no traffic while it cools down');
  });

  it('errors the request caused never open it, however many (400, 404, context length, content policy)', async () => {
    env = await setup(['local'], CONFIG);
    const local = env.sims.local;
    assert.ok(local, 'the local simulator runs');
    const caused = [
      { step: failure(400, 'bad temperature'), status: 400 },
      { step: failure(404, 'The model `nope` does not exist', { code: 'model_not_found' }), status: 404 },
      { step: failure(400, 'too long', { code: 'context_length_exceeded' }), status: 400 },
      { step: failure(400, 'filtered', { code: 'content_filter' }), status: 400 },
      // Some servers (vLLM versions, proxies) give a context-length error a 5xx status.
      { step: failure(500, 'too long', { code: 'context_length_exceeded' }), status: 500 },
    ];
    const client = clientFor(env, TENANT_A);
    for (let round = 0; round < 4; round++) {
      for (const { step, status } of caused) {
        local.enqueue(step);
        const error = await rejection(client.chat.completions.create({ model: 'local/m', messages: USER }));
        assert.ok(error instanceof APIError, `round ${round}: an error`);
        assert.equal(error.status, status, `round ${round}: the upstream's ${status} reaches the client`);
      }
    }
    assert.equal(local.requests.length, 4 * caused.length, 'one attempt each: none of them is retried');
    local.setDefault(answer('still serving'));
    const served = await clientFor(env, TENANT_B).chat.completions.create({ model: 'local/m', messages: USER });
    assert.equal(served.choices[0]?.message.content, 'still serving', 'the deployment is still in rotation');
  });
});
