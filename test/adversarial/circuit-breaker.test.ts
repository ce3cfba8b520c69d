/**
 * Issue 12, item 5: with the default retry (3 attempts) and cooldown (3 failures), one request
 * whose upstream failed three times used to open the circuit for every model and tenant behind
 * that deployment (e.g. all of `compat/*`) for 30 s. Replayed with the defaults: one tenant's
 * failing requests, or requests the upstream refused as the caller's fault, must not black out
 * the deployment for the next caller.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anthropicAnswer, anthropicError } from '../support/anthropic-steps.ts';
import { openAIAnswer } from '../support/openai-steps.ts';
import type { SimRequest, Step } from '../support/upstream-simulator.ts';
import { expectErrorEnvelope, expectSuccess } from './exchange.ts';
import { afterwards, useAdversarialLlmux, user } from './harness.ts';
import { openAIError } from './upstream-steps.ts';

const modelOf = (req: SimRequest): unknown => (req.json as { model?: unknown } | undefined)?.model;

describe('adversarial: one tenant cannot black out a shared deployment (child process, default cooldown)', () => {
  // Default cooldown and retry attempts; no backoff, to keep the run short.
  const llmux = useAdversarialLlmux({
    router:
      '{ retry: { backoffMs: 0, maxBackoffMs: 0 }, timeouts: { connectMs: 1000, firstByteMs: 5000, idleMs: 5000, totalMs: 15000 } }',
  });

  it('two requests failing 5xx on every attempt do not open compat/* for another model', async () => {
    llmux().sims.compat.route(
      '/v1/chat/completions',
      (req): Step =>
        modelOf(req) === 'broken-model'
          ? openAIError(500, { message: 'model crashed', type: 'server_error' })
          : openAIAnswer(),
    );
    for (const i of [1, 2]) {
      const failed = await llmux().chat(`failing tenant request ${i}`, {
        model: 'compat/broken-model',
        messages: user,
      });
      expectErrorEnvelope(failed, { status: (status) => status >= 500 });
    }
    assert.ok(llmux().sims.compat.requests.length >= 2, 'the failing requests reached the upstream');
    expectSuccess(await llmux().chat('another tenant on compat/*', { model: 'compat/healthy-model', messages: user }));
  });

  it('errors the request caused (4xx, context length) never open the circuit', async () => {
    llmux().sims.claude.route(
      '/v1/messages',
      (req): Step =>
        modelOf(req) === 'too-long'
          ? anthropicError(400, 'prompt is too long: 300000 tokens > 200000 maximum')
          : anthropicAnswer(),
    );
    for (let i = 0; i < 6; i++) {
      const refused = await llmux().chat(`context too long ${i}`, { model: 'claude/too-long', messages: user });
      expectErrorEnvelope(refused, { status: 400 });
    }
    expectSuccess(await llmux().chat('another caller on claude/*', { model: 'claude/fine', messages: user }));
  });

  it('afterwards: alive, RSS near baseline, every request logged', () => afterwards(llmux()));
});
