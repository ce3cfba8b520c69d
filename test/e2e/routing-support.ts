/** Shared helpers of the routing end-to-end tests (test/e2e/routing-*.test.ts). */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestLogRecord } from '../../src/store/types.ts';
import { type Gateway, isUpstreamType, startGateway, type UpstreamType } from '../support/gateway.ts';
import type { RunningLlmux } from '../support/start-llmux.ts';
import type { Simulator, Step } from '../support/upstream-simulator.ts';

export {
  openAIAnswer as answer,
  openAIChunk as chunkFrame,
  openAIStreamFrames as streamFrames,
} from '../support/openai-steps.ts';
export { delayed } from '../support/simulator-steps.ts';

export const USER = [{ role: 'user' as const, content: 'hi' }];

/** An upstream error in the OpenAI envelope. */
export function failure(
  status: number,
  message: string,
  extra: { code?: string; headers?: Record<string, string> } = {},
): Step {
  const step: Step = {
    kind: 'json',
    status,
    body: {
      error: {
        message,
        type: status >= 500 ? 'server_error' : 'invalid_request_error',
        param: null,
        code: extra.code ?? null,
      },
    },
  };
  if (extra.headers) step.headers = extra.headers;
  return step;
}

export type RoutingSetup = Gateway;

/**
 * Starts one upstream simulator per provider and llmux with `yaml` (its models, router, …). Each
 * provider is declared for you: `name` as openai-compatible, `name:anthropic` as an Anthropic one.
 */
export function setup(providerSpecs: string[], yaml: string): Promise<RoutingSetup> {
  const upstreams: Record<string, UpstreamType> = {};
  for (const spec of providerSpecs) {
    const [name = spec, type = 'openai-compatible'] = spec.split(':');
    if (!isUpstreamType(type)) throw new Error(`unknown upstream type in ${spec}`);
    upstreams[name] = type;
  }
  return startGateway({ upstreams, config: yaml });
}

/** The request-log row of a request (flushes the batch writer first). */
export async function logRow(llmux: RunningLlmux, requestId: string | null | undefined): Promise<RequestLogRecord> {
  assert.ok(requestId, 'the response has an x-request-id');
  for (let waited = 0; waited < 3000; waited += 20) {
    await llmux.app.store.requestLog.flush();
    const rows = await llmux.app.store.listRequests({ limit: 10_000 });
    const row = rows.find((candidate) => candidate.requestId === requestId);
    if (row) return row;
    await sleep(20);
  }
  assert.fail(`no request log row for ${requestId}`);
}

/** The number of requests each simulator received. */
export function counts(sims: Record<string, Simulator>): Record<string, number> {
  return Object.fromEntries(Object.entries(sims).map(([name, sim]) => [name, sim.requests.length]));
}

/** Resolves the error a promise rejects with (fails when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the request to fail');
}

/** Milliseconds `action` took, and its result. */
export async function timed<T>(action: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await action();
  return { ms: performance.now() - started, value };
}
