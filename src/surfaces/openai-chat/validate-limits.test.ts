/**
 * Bounds on client input that used to reach an upstream or break a response (issue 12, item 9):
 * nesting depth, integer ranges, `n` against `server.maxChoices`, header-bound strings, control
 * characters in `model`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import { openAIErrorFields } from './error-vocabulary.ts';
import { type ChatRequestLimits, MAX_BODY_DEPTH, validateChatRequest } from './validate-request.ts';

const base = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

function refusedParam(body: unknown, limits: ChatRequestLimits = {}): string {
  try {
    validateChatRequest(body, limits);
  } catch (error) {
    assert.ok(error instanceof GatewayError, `a GatewayError, got ${String(error)}`);
    assert.equal(error.status, 400, 'status 400');
    assert.equal(openAIErrorFields(error).type, 'invalid_request_error', 'OpenAI error type');
    assert.ok(error.param, 'param is set');
    assert.ok(error.message.includes(`'${error.param}'`), `message names '${error.param}': ${error.message}`);
    return error.param;
  }
  assert.fail(`accepted: ${JSON.stringify(body).slice(0, 200)}`);
}

const nestedArrays = (depth: number): unknown => {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
};
const nestedSchema = (depth: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < depth; i++) value = { type: 'object', properties: { a: value } };
  return value;
};

describe('validateChatRequest: nesting depth', () => {
  it('refuses a field nested 100,000 levels deep, naming it, without overflowing the stack', () => {
    assert.equal(refusedParam({ ...base, x_extra: nestedArrays(100_000) }), 'x_extra[0]');
    assert.equal(refusedParam({ ...base, logit_bias: { a: nestedArrays(100_000) } }), 'logit_bias');
  });

  it('names the message that nests too deep', () => {
    const deep = { role: 'user', content: [{ type: 'text', text: 'x', extra: nestedArrays(MAX_BODY_DEPTH) }] };
    assert.equal(refusedParam({ ...base, messages: [base.messages[0], deep] }), 'messages[1]');
  });

  it('accepts exactly the limit and refuses one level more', () => {
    // The body is level 1, `x_extra` level 2: MAX_BODY_DEPTH - 1 nested arrays reach the limit.
    assert.doesNotThrow(() => validateChatRequest({ ...base, x_extra: nestedArrays(MAX_BODY_DEPTH - 1) }));
    assert.equal(refusedParam({ ...base, x_extra: nestedArrays(MAX_BODY_DEPTH) }), 'x_extra[0]');
  });

  it('accepts a JSON schema nested 20 levels deep (far more than providers allow)', () => {
    const response_format = { type: 'json_schema', json_schema: { name: 'deep', schema: nestedSchema(20) } };
    assert.doesNotThrow(() => validateChatRequest({ ...base, response_format }));
  });
});

describe('validateChatRequest: integer ranges', () => {
  const refused: Array<[string, number]> = [
    ['max_tokens', 2 ** 64],
    ['max_tokens', 2 ** 31],
    ['max_completion_tokens', 2 ** 53],
    ['seed', 2 ** 63],
    ['seed', -(2 ** 63)],
    ['seed', 2 ** 53],
    ['n', 2 ** 64],
    ['top_logprobs', 2 ** 64],
  ];
  for (const [field, value] of refused) {
    it(`${field} = ${value}`, () => assert.equal(refusedParam({ ...base, [field]: value }), field));
  }

  it('thinking.budget_tokens beyond 32 bits', () => {
    assert.equal(
      refusedParam({ ...base, thinking: { type: 'enabled', budget_tokens: 2 ** 40 } }),
      'thinking.budget_tokens',
    );
  });

  it('accepts the largest values of each range', () => {
    const body = {
      ...base,
      max_tokens: 2 ** 31 - 1,
      max_completion_tokens: 2 ** 31 - 1,
      seed: Number.MAX_SAFE_INTEGER,
      thinking: { type: 'enabled', budget_tokens: 2 ** 31 - 1 },
    };
    assert.doesNotThrow(() => validateChatRequest(body));
    assert.doesNotThrow(() => validateChatRequest({ ...base, seed: Number.MIN_SAFE_INTEGER }));
  });
});

describe('validateChatRequest: n and server.maxChoices', () => {
  it('refuses n above maxChoices, naming n and the limit', () => {
    assert.equal(refusedParam({ ...base, n: 17 }, { maxChoices: 16 }), 'n');
    try {
      validateChatRequest({ ...base, n: 17 }, { maxChoices: 16 });
    } catch (error) {
      assert.ok(error instanceof GatewayError && error.message.includes('16'), 'the message gives the limit');
    }
  });

  it('accepts n up to maxChoices, and up to 128 without a limit', () => {
    assert.doesNotThrow(() => validateChatRequest({ ...base, n: 16 }, { maxChoices: 16 }));
    assert.doesNotThrow(() => validateChatRequest({ ...base, n: 128 }));
    assert.equal(refusedParam({ ...base, n: 129 }), 'n');
  });
});

describe('validateChatRequest: header-bound and control characters', () => {
  it('provider_options.anthropic.betas: printable ASCII only', () => {
    const withBetas = (betas: unknown) => ({ ...base, provider_options: { anthropic: { betas } } });
    assert.equal(refusedParam(withBetas('a\r\nb')), 'provider_options.anthropic.betas');
    assert.equal(refusedParam(withBetas(['ok', 'x\ny'])), 'provider_options.anthropic.betas[1]');
    assert.equal(refusedParam(withBetas(['bêta'])), 'provider_options.anthropic.betas[0]');
    assert.equal(refusedParam(withBetas([1])), 'provider_options.anthropic.betas[0]');
    assert.equal(refusedParam(withBetas({})), 'provider_options.anthropic.betas');
    assert.doesNotThrow(() => validateChatRequest(withBetas(['files-api-2025-04-14', 'context-1m-2025-08-07'])));
    assert.doesNotThrow(() => validateChatRequest(withBetas('files-api-2025-04-14')));
  });

  it('provider_options must be an object of objects', () => {
    assert.equal(refusedParam({ ...base, provider_options: [] }), 'provider_options');
    assert.equal(refusedParam({ ...base, provider_options: { gemini: 'x' } }), 'provider_options.gemini');
    assert.doesNotThrow(() => validateChatRequest({ ...base, provider_options: { gemini: { safetySettings: [] } } }));
  });

  it('model: control characters are refused, other names are left to routing', () => {
    for (const model of ['gpt\r\n4o', 'gpt\u00004o', 'a\tb', 'x\u007f']) {
      assert.equal(refusedParam({ ...base, model }), 'model', JSON.stringify(model));
    }
    for (const model of ['Qwen/Qwen2.5-7B-Instruct', 'local/模型', 'name with space']) {
      assert.doesNotThrow(() => validateChatRequest({ ...base, model }), model);
    }
  });
});
