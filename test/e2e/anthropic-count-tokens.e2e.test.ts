/**
 * `POST /v1/messages/count_tokens` through `@anthropic-ai/sdk` `messages.countTokens`: passed
 * through to an Anthropic deployment's own count_tokens (model rewritten, the client's
 * anthropic-version / anthropic-beta and the provider key sent), counted by llmux's tokenizer for
 * an OpenAI-compatible deployment, and by the tokenizer with a warning when the upstream fails.
 * The upstream's answer is the documented `CountMessageTokensResponse` example
 * (test/fixtures/specs/anthropic-hosted_spec.yaml, `input_tokens: 2095`); its failure the recorded
 * 404 of test/fixtures/anthropic/pydantic-ai/test_anthropic_count_tokens_error.yaml.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { anthropicJsonStep } from '../support/anthropic-replay.ts';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { asRecord } from '../support/json-guards.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

const ANTHROPIC_UPSTREAM_KEY = 'test-anthropic-key';

const REQUEST = {
  system: 'You are terse.',
  messages: [{ role: 'user' as const, content: 'Count the tokens of this sentence, please.' }],
  tools: [
    { name: 'lookup', description: 'Looks a word up', input_schema: { type: 'object' as const, properties: {} } },
  ],
};

describe('count_tokens: passthrough to Anthropic, tokenizer otherwise', () => {
  let gateway: Gateway;
  const setup = {} as { claude: Simulator; local: Simulator; anthropic: Anthropic };

  before(async () => {
    gateway = await startGateway({
      upstreams: { claude: { type: 'anthropic', apiKey: ANTHROPIC_UPSTREAM_KEY }, local: 'openai-compatible' },
      config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: house-claude
    deployments: [{ provider: claude, model: claude-opus-4-5-20251101 }]
  - name: claude-*
    deployments: [{ provider: claude, model: "claude-*" }]
  - name: local-model
    deployments: [{ provider: local, model: qwen-local }]
`,
    });
    setup.claude = simOf(gateway, 'claude');
    setup.local = simOf(gateway, 'local');
    setup.anthropic = new Anthropic({ apiKey: gateway.llmux.apiKey, baseURL: gateway.llmux.url, maxRetries: 0 });
  });
  after(() => gateway.close());
  beforeEach(() => {
    setup.claude.reset();
    setup.local.reset();
  });

  it("an Anthropic deployment counts: the upstream's count, the body sent with model rewritten and the client's headers", async () => {
    setup.claude.route('/v1/messages/count_tokens', () => ({ kind: 'json', body: { input_tokens: 2095 } }));
    const { data, response } = await setup.anthropic.messages
      .countTokens(
        { model: 'house-claude', ...REQUEST },
        { headers: { 'anthropic-version': '2099-01-01', 'anthropic-beta': 'token-counting-2024-11-01' } },
      )
      .withResponse();
    assert.equal(data.input_tokens, 2095, "Claude's own count, as the upstream sent it");
    const sent = setup.claude.requests[0];
    assert.ok(sent, 'the upstream got the call');
    assert.equal(setup.claude.requests.length, 1, 'one upstream call');
    assert.equal(sent.path, '/v1/messages/count_tokens', 'to its count_tokens endpoint');
    assert.equal(sent.headers['x-api-key'], ANTHROPIC_UPSTREAM_KEY, "the provider's key, not the client's");
    assert.equal(sent.headers['anthropic-version'], '2099-01-01', "the client's anthropic-version");
    assert.match(String(sent.headers['anthropic-beta']), /token-counting-2024-11-01/, "the client's beta forwarded");
    const body = asRecord(sent.json, 'upstream body');
    assert.equal(body.model, 'claude-opus-4-5-20251101', "model rewritten to the deployment's");
    assert.deepEqual(body.messages, REQUEST.messages, 'messages as sent');
    assert.equal(body.system, REQUEST.system, 'system as sent');
    assert.deepEqual(body.tools, REQUEST.tools, 'tools as sent');
    assert.equal(response.headers.get('x-llmux-provider'), 'claude', 'says who counted');
    assert.equal(response.headers.get('x-llmux-warnings'), null, 'no warning');
  });

  it('the upstream failing (the recorded 404): counted by the tokenizer, said in x-llmux-warnings', async () => {
    setup.claude.route('/v1/messages/count_tokens', () =>
      anthropicJsonStep('anthropic/pydantic-ai/test_anthropic_count_tokens_error.yaml'),
    );
    const { data, response } = await setup.anthropic.messages
      .countTokens({ model: 'claude-haiku-4-5', ...REQUEST })
      .withResponse();
    assert.equal(setup.claude.requests.length, 1, 'the upstream was asked');
    assert.ok(data.input_tokens > 5 && data.input_tokens < 1000, `a plausible estimate (${data.input_tokens})`);
    const warning = response.headers.get('x-llmux-warnings') ?? '';
    assert.match(warning, /count_tokens: provider claude answered 404/, `the failure is said (${warning})`);
    assert.match(warning, /tokenizer/, 'and that the tokenizer counted');
  });

  it('an OpenAI-compatible deployment: counted by the tokenizer, no upstream call, no warning', async () => {
    const { data, response } = await setup.anthropic.messages
      .countTokens({ model: 'local-model', ...REQUEST })
      .withResponse();
    assert.ok(data.input_tokens > 5 && data.input_tokens < 1000, `a plausible estimate (${data.input_tokens})`);
    assert.equal(setup.local.requests.length, 0, 'no upstream call');
    assert.equal(setup.claude.requests.length, 0, 'nor to Anthropic');
    assert.equal(response.headers.get('x-llmux-warnings'), null, 'nothing to warn about');
  });
});
