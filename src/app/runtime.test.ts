import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { parseConfig } from '../config/index.ts';
import { createUndiciTransport } from '../upstream/undici-transport.ts';
import { buildRuntime, type RuntimeDeps } from './runtime.ts';

const httpTransport = createUndiciTransport({
  limits: { maxResponseBytes: 1 << 20, maxEventBytes: 1 << 20, maxErrorBodyBytes: 1 << 20 },
});
after(() => httpTransport.close());

const deps: RuntimeDeps = {
  logger: pino({ level: 'silent' }),
  httpTransport,
  policy: undefined,
  writeRecord: () => {},
};

const config = (otherModel: string) =>
  parseConfig(
    `providers:
  up: { type: openai-compatible, baseUrl: "http://127.0.0.1:9/v1" }
models:
  - { name: smart, deployments: [{ provider: up, model: up-model }] }
  - { name: other, deployments: [{ provider: up, model: ${otherModel} }] }
`,
    {},
    'runtime-test.yaml',
  );

describe('buildRuntime on reload', () => {
  it('a deployment that stayed keeps its router state; a changed one starts afresh', () => {
    const before = buildRuntime(config('other-model'), deps);
    for (const id of ['smart#0', 'other#0']) {
      before.routerState.attemptStarted(id);
      before.routerState.attemptFinished(id, { kind: 'success', firstByteMs: 120 }, Date.now(), false);
    }
    const after = buildRuntime(config('other-model-2'), deps, before);
    const [smart, other] = after.routerState.snapshot(['smart#0', 'other#0'], Date.now());
    assert.equal(smart?.latency?.samples, 1, 'the unchanged deployment kept its latency');
    assert.equal(other?.latency, undefined, 'the deployment now sending another model starts with no history');
    assert.notEqual(after.router, before.router, 'a new router for the new config');
  });
});
