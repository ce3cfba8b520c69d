import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../core/errors.ts';
import { assertSafeWildcardMatch } from '../gateway/deployment-target.ts';
import type { ProviderRuntime } from '../gateway/types.ts';
import { adapterFor } from '../providers/registry.ts';
import { ModelCatalogue } from './catalogue.ts';
import type { Deployment, PublicModel } from './types.ts';
import { MAX_UPSTREAM_MODEL_ID_LENGTH, unsafeModelIdReason } from './upstream-model-id.ts';

describe('unsafeModelIdReason', () => {
  it('in a JSON body: slashes are fine, dot segments and header-breaking characters are not', () => {
    for (const id of ['gpt-4o', 'Qwen/Qwen2.5-7B-Instruct', 'meta-llama/Llama-3.1-8B:free', 'a.b', '...']) {
      assert.equal(unsafeModelIdReason(id, false), undefined, id);
    }
    const refused = ['../x', 'a/./b', 'a/..', '.', 'a\r\nb', 'a\nb', 'a b', 'a\u0000b', 'modèle', '模型', 'x\u007f'];
    for (const id of refused) assert.ok(unsafeModelIdReason(id, false), `refused: ${JSON.stringify(id)}`);
    assert.ok(unsafeModelIdReason('a'.repeat(MAX_UPSTREAM_MODEL_ID_LENGTH + 1), false), 'too long');
    assert.equal(unsafeModelIdReason('a'.repeat(MAX_UPSTREAM_MODEL_ID_LENGTH), false), undefined, 'at the limit');
  });

  it('in a URL path: one plain segment', () => {
    for (const id of ['gemini-2.5-flash', 'gemini-2.0-flash-exp', 'learnlm-1.5-pro-experimental', 'gemma-3n-e4b-it']) {
      assert.equal(unsafeModelIdReason(id, true), undefined, id);
    }
    const refused = [
      'a/b',
      '..',
      '.',
      'x:streamGenerateContent',
      'x?alt=sse',
      'x#',
      '%2e%2e',
      'a%2Fb',
      'a\\b',
      'models/x',
    ];
    for (const id of refused) assert.ok(unsafeModelIdReason(id, true), `refused: ${JSON.stringify(id)}`);
  });
});

describe('assertSafeWildcardMatch', () => {
  const deployment = (providerName: string, model: string): Deployment => ({
    id: `${providerName}#0`,
    providerName,
    model,
    weight: 1,
    priority: 0,
    capabilities: {},
    timeouts: { connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1 },
  });
  const model = (name: string, deployments: Deployment[]): PublicModel => ({
    name,
    strategy: 'weighted',
    deployments,
    fallbacks: [],
    retry: { attempts: 1, backoffMs: 0, maxBackoffMs: 0, maxRetryAfterMs: 0 },
    timeouts: { connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1 },
  });
  const runtime = (name: string, type: string): ProviderRuntime =>
    ({ name, type, adapter: adapterFor(type), baseUrl: 'http://127.0.0.1:9' }) as ProviderRuntime;
  const providers = new Map([
    ['google', runtime('google', 'gemini')],
    ['local', runtime('local', 'openai-compatible')],
  ]);
  const catalogue = new ModelCatalogue([
    model('gem/*', [deployment('google', '*')]),
    model('mixed/*', [deployment('local', '*'), deployment('google', '*')]),
    model('pinned/*', [deployment('google', 'gemini-2.5-flash')]),
    model('exact', [deployment('google', 'gemini-2.5-flash')]),
  ]);
  const check = (name: string) => {
    const resolved = catalogue.resolve(name);
    assert.ok(resolved, `${name} resolves`);
    assertSafeWildcardMatch(resolved, name, providers);
  };
  const refused = (name: string) =>
    assert.throws(
      () => check(name),
      (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === 'model',
      name,
    );

  it('refuses a match that is unsafe for any deployment using it', () => {
    refused('gem/a/../../../admin/delete');
    refused('gem/a/b');
    refused('mixed/Qwen/Qwen2.5-7B');
    refused('mixed/a\r\nb');
  });

  it('accepts safe matches, exact names and deployments that do not use the match', () => {
    check('gem/gemini-2.5-flash');
    check('mixed/gemini-2.5-flash');
    check('pinned/a/../b');
    check('exact');
  });
});
