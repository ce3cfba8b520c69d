/** Recorded Gemini error bodies → GatewayError (status, code, type, retry-after, redaction). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  loadCassette,
  loadFirebaseMock,
  loadJsGenaiRecording,
  loadVercelJson,
} from '../../../test/support/fixtures.ts';
import { geminiTarget } from '../../../test/support/providers/gemini/test-helpers.ts';
import type { GatewayError } from '../../core/errors.ts';
import { openAIErrorFields as fields } from '../../surfaces/openai-chat/error-vocabulary.ts';
import { renderOpenAIError } from '../../surfaces/openai-chat/render-error.ts';
import { geminiAdapter } from './index.ts';
import { GeminiStreamParser } from './stream.ts';

const FB = 'gemini/firebase-vertexai-sdk-test-data';
const parse = (status: number, body: string, headers: Record<string, string> = {}) =>
  geminiAdapter.parseError(status, body, headers, geminiTarget());
const firebase = (rel: string) => {
  const mock = loadFirebaseMock(`${FB}/${rel}`);
  return parse(mock.status, mock.body.toString('utf8'));
};

/** The `retry-after` header an OpenAI client would see. */
const retryAfterHeader = (error: GatewayError) => renderOpenAIError(error, 'r').headers['retry-after'];

describe('Gemini errors', () => {
  it("400 INVALID_ARGUMENT / API_KEY_INVALID → 502 upstream_auth_failed (llmux's key, not the client's)", () => {
    const error = firebase('googleai/unary-failure-api-key.json');
    assert.deepEqual(
      [error.status, error.code, fields(error).code, fields(error).type, error.retryable, error.upstreamStatus],
      [502, 'upstream_auth_failed', 'upstream_auth_failed', 'upstream_error', true, 400],
    );
    assert.match(error.message, /^Provider "[^"]+" rejected the credentials llmux uses for it \(upstream HTTP 400\)/);
    const rendered = renderOpenAIError(error, 'req_1');
    assert.equal(rendered.status, 502);
    const envelope = JSON.parse(rendered.body) as { error: { code: string; type: string } };
    assert.deepEqual([envelope.error.code, envelope.error.type], ['upstream_auth_failed', 'upstream_error']);
  });

  it('429 RESOURCE_EXHAUSTED with RetryInfo.retryDelay → rate_limit_exceeded, retry-after in whole seconds', () => {
    const [recorded] = loadVercelJson('gemini/vercel-ai/google-429-retry-info.json');
    const error = parse(429, recorded?.body.toString('utf8') ?? '');
    assert.deepEqual(
      [error.status, error.code, error.retryable, retryAfterHeader(error)],
      [429, 'rate_limit_exceeded', true, '35'],
    );
    const issue = JSON.stringify({
      error: {
        code: 429,
        message: 'You exceeded your current quota, please check your plan and billing details.',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'm', quotaId: 'q' }] },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '47s' },
        ],
      },
    });
    assert.equal(parse(429, issue).retryAfterMs, 47_000);
    assert.equal(parse(429, issue, { 'retry-after': '5' }).retryAfterMs, 5000);
    assert.equal(renderOpenAIError(parse(429, issue), 'r').headers['retry-after'], '47');
    const vertex = firebase('vertexai/unary-failure-quota-exceeded.json');
    assert.deepEqual(
      [vertex.status, vertex.code, vertex.retryable, retryAfterHeader(vertex)],
      [429, 'rate_limit_exceeded', true, undefined],
    );
  });

  it('404 NOT_FOUND → model_not_found (also on the alt=sse endpoint, JSON body despite text/event-stream)', () => {
    const unknown = firebase('googleai/unary-failure-unknown-model.json');
    assert.deepEqual([unknown.status, unknown.code, fields(unknown).code], [404, 'model_not_found', 'model_not_found']);
    const recording = loadJsGenaiRecording(
      'gemini/js-genai/Chats_Tests_sendMessage_Send_message_stream_with_error.json',
    );
    const response = recording.interactions[0]?.response;
    assert.ok(response?.headers['content-type']?.includes('text/event-stream'));
    assert.ok(response);
    const sse = parse(response.status, response.body.toString('utf8'));
    assert.deepEqual([sse.status, sse.code], [404, 'model_not_found']);
    assert.match(sse.message, /^models\/custom-gemini-2\.0-flash is not found/);
    const cassette = loadCassette('gemini/pydantic-ai/test_model_name_suggestion[google].yaml').interactions[0];
    assert.equal(parse(404, cassette?.response.body.toString('utf8') ?? '').code, 'model_not_found');
  });

  it('403 PERMISSION_DENIED about the key or project → upstream_auth_failed; about a file the request named, stays 403', () => {
    const disabled = firebase('googleai/unary-failure-generativelanguage-api-not-enabled.json');
    assert.deepEqual(
      [disabled.status, disabled.code, disabled.upstreamCode, disabled.retryable],
      [502, 'upstream_auth_failed', 'SERVICE_DISABLED', true],
    );
    assert.equal(firebase('vertexai/unary-failure-iam-permission-denied.json').code, 'upstream_auth_failed');
    const file = parse(
      403,
      JSON.stringify({
        error: {
          code: 403,
          message: 'You do not have permission to access the File abc123 or it may not exist.',
          status: 'PERMISSION_DENIED',
        },
      }),
    );
    assert.deepEqual([file.status, file.code], [403, 'permission_denied'], 'the request named the file');
  });

  it('400s keep their message (penalty, thinking level)', () => {
    for (const rel of [
      'gemini/vercel-ai/issue-8943-gemini-2.5-flash-error.json',
      'gemini/vercel-ai/google-thinking-level-minimal-unsupported.json',
    ]) {
      const [recorded] = loadVercelJson(rel);
      const body = recorded?.body.toString('utf8') ?? '';
      const error = parse(400, body);
      assert.deepEqual([error.status, error.code, fields(error).type], [400, 'invalid_request', 'INVALID_ARGUMENT']);
      assert.equal(error.message, (JSON.parse(body) as { error: { message: string } }).error.message);
    }
  });

  it('5xx are retryable and keep their status; 499 CANCELLED becomes 502', () => {
    const unavailable = parse(
      503,
      '{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}',
    );
    assert.deepEqual([unavailable.status, unavailable.code, unavailable.retryable], [503, 'overloaded', true]);
    const cancelled = parse(
      499,
      '{"error":{"code":499,"message":"The operation was cancelled.","status":"CANCELLED"}}',
    );
    assert.deepEqual([cancelled.status, cancelled.retryable], [502, true]);
  });

  it('array-wrapped errors (stream endpoint without alt=sse), SSE-framed errors and non-JSON bodies', () => {
    const body = '{"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}}';
    assert.equal(parse(429, `[${body}]`).message, 'Resource has been exhausted');
    assert.equal(parse(429, `data: ${body}\r\n\r\n`).message, 'Resource has been exhausted');
    const html = parse(502, '<html>Bad Gateway</html>');
    assert.deepEqual([html.status, html.message], [502, '<html>Bad Gateway</html>']);
  });

  it('API keys are redacted from messages, in URLs too', () => {
    const target = geminiTarget({ apiKey: 'AIzaSySECRET-0123456789' });
    const body = JSON.stringify({
      error: {
        code: 400,
        message:
          'Bad request for https://x/v1beta/models/m:generateContent?key=AIzaSySECRET-0123456789&alt=sse (other key=abc123)',
        status: 'INVALID_ARGUMENT',
      },
    });
    const error = geminiAdapter.parseError(400, body, {}, target);
    assert.ok(!error.message.includes('SECRET'), error.message);
    assert.ok(!error.message.includes('abc123'), error.message);
  });

  it('a key echoed in the ErrorInfo reason or the status is redacted too (they become code and type)', () => {
    const key = 'gemini-operator-key-0123';
    const body = JSON.stringify({
      error: {
        code: 403,
        message: 'denied',
        status: `DENIED_${key}`,
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: `BAD_KEY_${key}`, metadata: { key } }],
      },
    });
    const error = geminiAdapter.parseError(403, body, {}, geminiTarget({ apiKey: key }));
    const rendered = renderOpenAIError(error, 'req_1').body;
    assert.ok(!rendered.includes(key), rendered);
    assert.ok(!String(error.upstreamCode).includes(key), `upstreamCode: ${error.upstreamCode}`);
    assert.ok(!String(error.upstreamType).includes(key), `upstreamType: ${error.upstreamType}`);
  });

  it('a mid-stream error event keeps the mapped status', () => {
    const parser = new GeminiStreamParser(geminiTarget());
    const events = parser.push({
      event: undefined,
      data: '[{"error":{"code":429,"message":"quota","status":"RESOURCE_EXHAUSTED"}}]',
    });
    assert.equal(events.length, 1);
    const [event] = events;
    assert.ok(event?.type === 'error');
    assert.deepEqual(
      [event.error.code, fields(event.error).code, event.error.message, event.error.status],
      ['rate_limit_exceeded', 'rate_limit_exceeded', 'quota', 429],
    );
    assert.deepEqual(parser.push({ event: undefined, data: '{"candidates":[]}' }), []);
    assert.deepEqual(parser.end(), []);
  });
});
