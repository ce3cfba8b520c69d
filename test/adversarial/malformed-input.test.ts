/**
 * Issue 12, items 6 and 9: client input that used to yield a 500, a broken 200 or an upstream call
 * it should never have caused. Each must be a 400 naming the field, with no upstream request.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimRequest } from '../support/upstream-simulator.ts';
import { expectErrorEnvelope, expectSuccess, names } from './exchange.ts';
import { afterwards, HARDENING, hasServerField, useAdversarialLlmux, user } from './harness.ts';

const upstreamModel = (req: SimRequest | undefined): unknown => (req?.json as { model?: unknown } | undefined)?.model;

const DEPTH = 100_000;
const deepArray = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`;
const deepObject = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`;

/** Names a wildcard model must refuse, each with the reason. */
const UNSAFE_MODEL_NAMES: Array<[label: string, model: string]> = [
  ['CR/LF (compat)', 'compat/a\r\nx-injected: 1'],
  ['CR (claude)', 'claude/a\rb'],
  ['LF (gemini)', 'gem/a\nb'],
  ['NUL', 'compat/a\u0000b'],
  ['TAB', 'compat/a\tb'],
  ['DEL', 'compat/a\u007fb'],
  ['C1 control', 'compat/a\u0085b'],
  ['Cyrillic (compat)', 'compat/модель'],
  ['CJK (claude)', 'claude/模型'],
  ['emoji (gemini)', 'gem/model-😀'],
  ['line separator', 'compat/a\u2028b'],
  ['gemini path traversal', 'gem/a/../../../admin/delete'],
  ['gemini dot-dot', 'gem/..'],
  ['gemini dot segment', 'gem/./x'],
  ['anthropic dot-dot', 'claude/../../v1/admin'],
  ['openai-compatible dot-dot', 'compat/../../admin'],
  ['openai-compatible dot segment', 'compat/a/./b'],
];

describe('adversarial: malformed client input (child process)', () => {
  const llmux = useAdversarialLlmux();

  const upstreamRequests = () =>
    llmux().sims.claude.requests.length + llmux().sims.gem.requests.length + llmux().sims.compat.requests.length;

  /** Raw JSON text, so the nesting is not built (and stringified) in this process. */
  const rawChat = (label: string, fields: string) =>
    llmux().send(label, {
      headers: { authorization: 'Bearer sk-llmux-adversarial-client-key', 'content-type': 'application/json' },
      body: `{${fields}}`,
    });

  it('100k-level nesting → 400 naming the field, on every provider and in every field tried', async () => {
    const messages = `"messages":${JSON.stringify(user)}`;
    const cases: Array<[label: string, field: string, body: string]> = [];
    for (const model of ['compat', 'claude', 'gemini']) {
      cases.push([`deep unknown field (${model})`, 'x', `"model":"${model}",${messages},"x":${deepArray}`]);
      cases.push([
        `deep tool parameters (${model})`,
        'tools',
        `"model":"${model}",${messages},"tools":[{"type":"function","function":{"name":"f","parameters":${deepObject}}}]`,
      ]);
      cases.push([
        `deep message content (${model})`,
        'messages',
        `"model":"${model}","messages":[{"role":"user","content":${deepArray}}]`,
      ]);
      cases.push([
        `deep response_format (${model})`,
        'response_format',
        `"model":"${model}",${messages},"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":${deepObject}}}`,
      ]);
    }
    for (const [label, field, body] of cases) {
      expectErrorEnvelope(await rawChat(label, body), { status: 400, param: names(field) });
    }
    assert.equal(upstreamRequests(), 0, 'no upstream request for a refused body');
  });

  it('control, non-Latin-1 and dot-segment characters in a wildcard model name → 400 naming `model`, no upstream call', async () => {
    for (const [label, model] of UNSAFE_MODEL_NAMES) {
      for (const stream of [false, true]) {
        const exchange = await llmux().chat(`model name: ${label} stream=${stream}`, { model, stream, messages: user });
        expectErrorEnvelope(exchange, { status: 400, param: 'model' });
      }
    }
    assert.equal(upstreamRequests(), 0, 'no upstream request for an unsafe model name');
  });

  it('safe wildcard model names still reach the upstream unchanged', async () => {
    expectSuccess(await llmux().chat('gem/gemini-2.5-flash', { model: 'gem/gemini-2.5-flash', messages: user }));
    assert.equal(llmux().sims.gem.requests[0]?.path, '/v1beta/models/gemini-2.5-flash:generateContent');
    expectSuccess(await llmux().chat('claude/claude-3-5-haiku', { model: 'claude/claude-3-5-haiku', messages: user }));
    assert.equal(upstreamModel(llmux().sims.claude.requests[0]), 'claude-3-5-haiku');
    for (const id of ['meta-llama/Llama-3.1-8B-Instruct', 'qwen2.5:7b']) {
      expectSuccess(await llmux().chat(`compat/${id}`, { model: `compat/${id}`, messages: user }));
      assert.equal(upstreamModel(llmux().sims.compat.requests.at(-1)), id);
    }
  });

  it('provider_options.anthropic.betas with CR/LF or non-Latin-1 → 400 naming the field, no upstream call', async () => {
    for (const betas of [['a\r\nx-injected: y'], ['ok-beta', 'b\nc'], 'a\r\nb', ['β-feature']]) {
      for (const stream of [false, true]) {
        const exchange = await llmux().chat(`betas ${JSON.stringify(betas)} stream=${stream}`, {
          model: 'claude',
          stream,
          messages: user,
          provider_options: { anthropic: { betas } },
        });
        expectErrorEnvelope(exchange, { status: 400, param: names('provider_options.anthropic.betas') });
      }
    }
    assert.equal(llmux().sims.claude.requests.length, 0, 'no upstream request');
  });

  it('unbounded integers (max_tokens 2^64 and friends) → 400 naming the field', async () => {
    const huge = '18446744073709551616';
    for (const [field, value] of [
      ['max_tokens', huge],
      ['max_completion_tokens', huge],
      ['max_tokens', '1e308'],
      ['n', huge],
      ['top_logprobs', huge],
    ] as const) {
      for (const model of ['compat', 'claude', 'gemini']) {
        const exchange = await rawChat(
          `${field}=${value} (${model})`,
          `"model":"${model}","messages":${JSON.stringify(user)},"${field}":${value}`,
        );
        expectErrorEnvelope(exchange, { status: 400, param: field });
      }
    }
    assert.equal(upstreamRequests(), 0, 'no upstream request');
  });

  it('n above server.maxChoices → 400 naming `n`', async () => {
    assert.ok(hasServerField('maxChoices'), 'server.maxChoices exists (issue 12 item 1)');
    const n = HARDENING.maxChoices + 1;
    for (const model of ['claude', 'gemini', 'compat']) {
      const exchange = await llmux().chat(`n=${n} (${model})`, { model, n, messages: user });
      expectErrorEnvelope(exchange, { status: 400, param: 'n' });
    }
    assert.equal(upstreamRequests(), 0, 'no upstream request');
  });

  it('afterwards: alive, RSS near baseline, every request logged', () => afterwards(llmux()));
});
