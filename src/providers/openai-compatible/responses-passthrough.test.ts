import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseConfig } from '../../config/load.ts';
import { isGatewayError } from '../../core/errors.ts';
import { azureAdapter } from '../azure/index.ts';
import { openAIAdapter } from '../openai/index.ts';
import type { DeploymentTarget, PassthroughHooks, ProviderAdapter } from '../types.ts';
import { openAICompatibleAdapter } from './index.ts';
import { RESPONSES_WIRE_FORMAT, responsesOutputTexts } from './responses-passthrough.ts';

const fixture = (rel: string): Buffer => readFileSync(new URL(`../../../test/fixtures/${rel}`, import.meta.url));

const KEY = 'sk-upstream-secret-123456';
const target = (overrides: Partial<DeploymentTarget> = {}): DeploymentTarget => ({
  providerName: 'openai',
  providerType: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  apiKey: KEY,
  model: 'gpt-5-mini',
  capabilities: {},
  ...overrides,
});

function responsesHooks(adapter: ProviderAdapter): PassthroughHooks {
  const hooks = adapter.otherPassthroughs?.[RESPONSES_WIRE_FORMAT];
  assert.ok(hooks, `${adapter.type} passes Responses bodies through`);
  return hooks;
}

/** vercel/ai payload lines as data-only frames (no `event:` line, as some servers send them). */
const dataFrames = (rel: string): Buffer[] =>
  fixture(rel)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => Buffer.from(`data: ${line}\n\n`));

describe('Responses passthrough hooks', () => {
  it('prepare: POST {baseUrl}/responses with only model rewritten (bodyOverrides merged, stream kept)', () => {
    const client = { model: 'public', input: 'Hi', stream: true, tools: [{ type: 'web_search' }], store: true };
    const prepared = responsesHooks(openAIAdapter).prepare(
      client,
      target({ bodyOverrides: { service_tier: 'flex', stream: false } }),
    );
    assert.equal(prepared.request.url, 'https://api.openai.com/v1/responses');
    assert.equal(prepared.request.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(JSON.parse(String(prepared.request.body)), {
      ...client,
      model: 'gpt-5-mini',
      service_tier: 'flex',
    });
    assert.deepEqual(prepared.warnings, ["service_tier set by the deployment's bodyOverrides"]);
  });

  it('Azure: the api-key header, and /responses before the api-version query', () => {
    const hooks = responsesHooks(
      azureAdapter.forProvider?.({ name: 'az', type: 'azure', responsesApi: true }) ?? azureAdapter,
    );
    const prepared = hooks.prepare(
      { model: 'x', input: 'Hi' },
      target({ baseUrl: 'https://r.openai.azure.com/openai?api-version=2025-04-01-preview', model: 'my-deployment' }),
    );
    assert.equal(prepared.request.url, 'https://r.openai.azure.com/openai/responses?api-version=2025-04-01-preview');
    assert.equal(prepared.request.headers['api-key'], KEY);
    assert.equal(prepared.request.headers.authorization, undefined, 'no Bearer for Azure');
  });

  it('readBody: the recorded body unchanged, its usage read', () => {
    const body = fixture('openai-responses/vercel-ai/openai-reasoning-encrypted-content.1.json');
    const read = responsesHooks(openAIAdapter).prepare({ model: 'm', input: 'x' }, target()).readBody(body);
    assert.equal(read.body, body, 'the same buffer');
    const usage = JSON.parse(body.toString('utf8')).usage;
    assert.equal(read.usage?.inputTokens, usage.input_tokens);
    assert.equal(read.usage?.outputTokens, usage.output_tokens);
    assert.equal(read.usage?.reasoningTokens, usage.output_tokens_details.reasoning_tokens);
    assert.equal(read.usage?.cachedInputTokens, usage.input_tokens_details.cached_tokens);
  });

  it('readBody: something that is not a response object is a bad upstream response', () => {
    const prepared = responsesHooks(openAIAdapter).prepare({ model: 'm', input: 'x' }, target());
    assert.throws(
      () => prepared.readBody(Buffer.from('<html>oops</html>')),
      (error: unknown) => isGatewayError(error) && error.code === 'upstream_bad_response',
    );
  });

  it('stream, data-only frames: every frame forwarded as it is; usage from response.completed, its end', () => {
    const filter = responsesHooks(openAIAdapter).prepare({ model: 'm', input: 'x' }, target()).createStreamFilter();
    const frames = dataFrames('openai-responses/vercel-ai/openai-shell-local-multiturn.1.chunks.txt');
    const ends = frames.map((frame) => filter.isEndFrame(frame));
    for (const frame of frames) assert.equal(filter.filter(frame), frame, 'the same buffer');
    assert.deepEqual(
      ends.map((end, index) => (end ? index : -1)).filter((index) => index >= 0),
      [frames.length - 1],
      'only response.completed ends the stream',
    );
    assert.equal(filter.requiresEndFrame, true);
    const completed = JSON.parse(String(frames.at(-1)).slice('data: '.length)).response.usage;
    assert.equal(filter.usage?.inputTokens, completed.input_tokens);
    assert.equal(filter.usage?.outputTokens, completed.output_tokens);
    assert.equal(filter.failure, undefined, 'no failure');
  });

  it('stream: the recorded error event and response.failed end the stream and make its failure', () => {
    const filter = responsesHooks(openAIAdapter).prepare({ model: 'm', input: 'x' }, target()).createStreamFilter();
    const frames = dataFrames('openai-responses/vercel-ai/openai-error.1.chunks.txt');
    const ends = frames.map((frame) => filter.isEndFrame(frame));
    assert.deepEqual(ends, [false, false, true, true], 'error and response.failed are ends');
    for (const frame of frames) assert.equal(filter.filter(frame), frame, 'nothing to redact: unchanged');
    assert.equal(filter.failure?.code, 'insufficient_quota');
    assert.equal(filter.failure?.upstreamFormat, 'openai-responses');
    assert.match(filter.failure?.message ?? '', /exceeded your current quota/);
  });

  it('stream: a key echoed in response.failed is redacted, the event line kept', () => {
    const filter = responsesHooks(openAIAdapter).prepare({ model: 'm', input: 'x' }, target()).createStreamFilter();
    const failed = {
      type: 'response.failed',
      sequence_number: 9,
      response: { id: 'resp_1', status: 'failed', error: { code: 'server_error', message: `bad key ${KEY}` } },
    };
    const frame = Buffer.from(`event: response.failed\ndata: ${JSON.stringify(failed)}\n\n`);
    assert.equal(filter.isEndFrame(frame), true);
    const out = String(filter.filter(frame));
    assert.ok(out.startsWith('event: response.failed\ndata: '), out);
    assert.ok(!out.includes(KEY), `redacted: ${out}`);
    assert.equal(filter.failure?.code, 'upstream_error');
    assert.ok(!filter.failure?.message.includes(KEY), 'the logged failure is redacted too');
  });

  it('the output texts of a body and of stream frames (the estimate when no usage came)', () => {
    const body = fixture('openai-responses/vercel-ai/openai-reasoning-encrypted-content.1.json');
    const message = JSON.parse(body.toString('utf8')).output.find((item: { type: string }) => item.type === 'message');
    assert.deepEqual(responsesOutputTexts(body), [message.content[0].text]);
    const frames = Buffer.concat(
      fixture('openai-responses/vercel-ai/openai-shell-local-multiturn.1.chunks.txt')
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => Buffer.from(`event: ${JSON.parse(line).type}\ndata: ${line}\n\n`)),
    );
    const done = fixture('openai-responses/vercel-ai/openai-shell-local-multiturn.1.chunks.txt')
      .toString('utf8')
      .split('\n')
      .filter((line) => line.includes('"response.output_text.done"'))
      .map((line) => JSON.parse(line).text);
    assert.equal(responsesOutputTexts(frames).join(''), done.join(''), 'the deltas make the whole text');
  });

  it('responsesApi: on by default for openai, off for openai-compatible and azure; a provider setting picks', () => {
    const speaks = (adapter: ProviderAdapter) => adapter.otherPassthroughs?.[RESPONSES_WIRE_FORMAT] !== undefined;
    assert.equal(speaks(openAIAdapter), true);
    assert.equal(speaks(openAICompatibleAdapter), false);
    assert.equal(speaks(azureAdapter), false);
    const configured = (adapter: ProviderAdapter, responsesApi?: boolean) =>
      adapter.forProvider?.({ name: 'p', type: adapter.type, ...(responsesApi === undefined ? {} : { responsesApi }) });
    assert.equal(speaks(configured(openAIAdapter, false) as ProviderAdapter), false, 'openai opted out');
    assert.equal(speaks(configured(openAIAdapter) as ProviderAdapter), true, 'openai by default');
    assert.equal(speaks(configured(openAICompatibleAdapter, true) as ProviderAdapter), true, 'compatible opted in');
    assert.equal(speaks(configured(openAICompatibleAdapter) as ProviderAdapter), false, 'compatible by default');
  });

  it('the config schema takes responsesApi on openai, openai-compatible and azure providers only', () => {
    const config = (provider: string) =>
      parseConfig(
        `providers:\n  p: ${provider}\nmodels:\n  - name: m\n    deployments: [{ provider: p, model: x }]\n`,
        {},
      );
    assert.doesNotThrow(() => config('{ type: openai, apiKey: k, responsesApi: false }'));
    assert.doesNotThrow(() => config('{ type: openai-compatible, baseUrl: "http://h/v1", responsesApi: true }'));
    assert.doesNotThrow(() =>
      config('{ type: azure, endpoint: "https://r", apiKey: k, v1: true, responsesApi: true }'),
    );
    assert.throws(() => config('{ type: anthropic, apiKey: k, responsesApi: true }'), /responsesApi/);
  });
});
