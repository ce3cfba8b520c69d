/** OpenAI-compatible error bodies → GatewayError: every upstream-written field is redacted. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openAIErrorFields } from '../../surfaces/openai-chat/error-vocabulary.ts';
import type { DeploymentTarget } from '../types.ts';
import { parseOpenAIError } from './errors.ts';

const KEY = 'compat-operator-key-0123';
const target: DeploymentTarget = {
  providerName: 'local',
  providerType: 'openai-compatible',
  baseUrl: 'http://127.0.0.1:1/v1',
  apiKey: KEY,
  model: 'm',
  capabilities: {},
};

describe('OpenAI-compatible errors', () => {
  it('a key echoed in message, type, param or code is redacted from each', () => {
    const body = JSON.stringify({
      error: { message: `bad key ${KEY}`, type: `type_${KEY}`, param: `param ${KEY}`, code: `code_${KEY}` },
    });
    const error = parseOpenAIError(400, body, {}, target);
    for (const [field, value] of Object.entries({
      message: error.message,
      type: error.upstreamType,
      param: error.param,
      code: error.upstreamCode,
    })) {
      assert.ok(typeof value === 'string' && !value.includes(KEY), `${field}: ${value}`);
      assert.ok(value.includes('[redacted]'), `${field} says what was removed: ${value}`);
    }
    assert.equal(error.status, 400);
  });

  it('ordinary fields are kept as the upstream sent them', () => {
    const body = JSON.stringify({
      error: { message: 'too long', type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' },
    });
    const error = parseOpenAIError(400, body, {}, target);
    const fields = openAIErrorFields(error);
    assert.deepEqual(
      [error.code, fields.type, fields.param, fields.code],
      ['context_length_exceeded', 'invalid_request_error', 'messages', 'context_length_exceeded'],
    );
  });
});
