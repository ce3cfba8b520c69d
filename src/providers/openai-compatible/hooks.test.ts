/**
 * The hooks of the OpenAI-compatible base: transformRequestBody (translated and passthrough),
 * convertUsage (response, stream and passthrough), parseError, and the streamUsage switch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, StreamEvent, Usage } from '../../core/types.ts';
import type { OpenAIChatRequest } from '../../protocols/openai-chat.ts';
import type { DeploymentTarget } from '../types.ts';
import { createOpenAICompatibleAdapter, openAICompatibleAdapter, parseOpenAIError } from './index.ts';

function target(overrides: Partial<DeploymentTarget> = {}): DeploymentTarget {
  return {
    providerName: 'local',
    providerType: 'variant',
    baseUrl: 'http://127.0.0.1:1/v1',
    model: 'up-model',
    capabilities: {},
    ...overrides,
  };
}

const request: ChatRequest = {
  model: 'public',
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  stream: true,
  includeUsage: true,
};

const clientBody: OpenAIChatRequest = {
  model: 'public',
  messages: [{ role: 'user', content: 'hi' }],
  stream: true,
  stream_options: { include_usage: true },
};

const sentBody = (built: { request: { body?: string | Buffer } }): Record<string, unknown> =>
  JSON.parse(String(built.request.body)) as Record<string, unknown>;

const chunk = (extra: object) =>
  `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], ...extra })}\n\n`;
const RAW_USAGE = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
const doubled = (raw: { prompt_tokens?: number | null; completion_tokens?: number | null }): Usage => ({
  inputTokens: (raw.prompt_tokens ?? 0) * 2,
  outputTokens: (raw.completion_tokens ?? 0) * 2,
  estimated: false,
});

describe('OpenAI-compatible hooks', () => {
  const variant = createOpenAICompatibleAdapter({
    type: 'variant',
    defaultBaseUrl: 'http://127.0.0.1:1/v1',
    transformRequestBody: (body, deployment) => ({ ...body, seen_model: deployment.model, top_k: 5 }),
    convertUsage: doubled,
    parseError: (status, body, headers, deployment) =>
      status === 418
        ? new GatewayError('invalid_request', 'teapot', { status })
        : parseOpenAIError(status, body, headers, deployment),
  });

  it('transformRequestBody rewrites the translated body after the usual preparation', () => {
    const body = sentBody(variant.buildRequest(request, target()));
    assert.equal(body.model, 'up-model');
    assert.equal(body.seen_model, 'up-model');
    assert.equal(body.top_k, 5);
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  it('transformRequestBody rewrites the passthrough body too', () => {
    assert.ok(variant.passthrough);
    const body = sentBody(variant.passthrough.prepare(clientBody, target()));
    assert.equal(body.seen_model, 'up-model');
    assert.equal(body.top_k, 5);
  });

  it('without the hook the bodies are as before', () => {
    const body = sentBody(openAICompatibleAdapter.buildRequest(request, target()));
    assert.equal(body.top_k, undefined);
  });

  it('convertUsage reads usage of a response, a stream and a passthrough answer', () => {
    const result = variant.parseResponse(
      {
        id: 'x',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage: RAW_USAGE,
      },
      target(),
    );
    assert.deepEqual(result.usage, { inputTokens: 6, outputTokens: 4, estimated: false });

    const parser = variant.createStreamParser(target());
    const events: StreamEvent[] = [
      ...parser.push(Buffer.from(`${chunk({ usage: RAW_USAGE })}data: [DONE]\n\n`)),
      ...parser.end(),
    ];
    assert.deepEqual(
      events.find((event) => event.type === 'usage'),
      { type: 'usage', usage: { inputTokens: 6, outputTokens: 4, estimated: false } },
    );

    assert.ok(variant.passthrough);
    const prepared = variant.passthrough.prepare(clientBody, target());
    const completion = Buffer.from(JSON.stringify({ id: 'x', choices: [], usage: RAW_USAGE }));
    assert.equal(prepared.readBody(completion).usage?.inputTokens, 6);
    const filter = prepared.createStreamFilter();
    filter.filter(Buffer.from(chunk({ usage: RAW_USAGE })));
    assert.equal(filter.usage?.outputTokens, 4);
  });

  it('parseError overrides and can delegate to the default', () => {
    assert.equal(variant.parseError(418, '', {}, target()).message, 'teapot');
    const usual = variant.parseError(429, '{"error":{"message":"slow down"}}', {}, target());
    assert.equal(usual.code, 'rate_limit_exceeded');
    assert.equal(usual.message, 'slow down');
  });
});

describe('streamUsage switch', () => {
  const strict = createOpenAICompatibleAdapter({
    type: 'strict',
    defaultBaseUrl: 'http://127.0.0.1:1/v1',
    streamUsage: false,
  });

  it('is on by default: streams ask for usage', () => {
    assert.equal(openAICompatibleAdapter.capabilitiesFor('m').streamUsage, undefined);
    const body = sentBody(openAICompatibleAdapter.buildRequest({ ...request, includeUsage: false }, target()));
    assert.deepEqual(body.stream_options, { include_usage: true });
  });

  it('off for an adapter: no stream_options on translated or passthrough requests', () => {
    const capabilities = strict.capabilitiesFor('m');
    assert.equal(capabilities.streamUsage, false);
    assert.equal(capabilities.developerRoleUnsupported, true, 'the base defaults stay');
    const translated = sentBody(strict.buildRequest(request, target({ capabilities })));
    assert.equal('stream_options' in translated, false);
    assert.ok(strict.passthrough);
    const prepared = strict.passthrough.prepare(clientBody, target({ capabilities }));
    assert.equal('stream_options' in sentBody(prepared), false);
    assert.deepEqual(prepared.warnings, ['stream_options not sent (the upstream does not take it)']);
  });

  it('off for one deployment of an adapter that has it on (config capabilities)', () => {
    assert.ok(openAICompatibleAdapter.passthrough);
    const off = target({ capabilities: { streamUsage: false } });
    const prepared = openAICompatibleAdapter.passthrough.prepare({ ...clientBody, stream_options: undefined }, off);
    assert.equal('stream_options' in sentBody(prepared), false);
    assert.deepEqual(prepared.warnings, [], 'nothing the client asked for was dropped');
  });

  it('non-streaming requests never carry stream_options', () => {
    const body = sentBody(
      strict.buildRequest({ ...request, stream: false }, target({ capabilities: strict.capabilitiesFor('m') })),
    );
    assert.equal('stream_options' in body, false);
  });
});
