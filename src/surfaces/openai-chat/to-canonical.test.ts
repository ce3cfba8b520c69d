import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fixturePath } from '../../../test/support/fixture-paths.ts';
import { GatewayError } from '../../core/errors.ts';
import type { ChatRequest, Message } from '../../core/types.ts';
import { fromOpenAIChatRequest, parseMediaUrl } from './to-canonical.ts';
import { validateChatRequest } from './validate-request.ts';

const canonical = (body: unknown): ChatRequest => fromOpenAIChatRequest(validateChatRequest(body));
const user = (content: unknown) => ({ role: 'user', content });
const single = (message: unknown): Message => {
  const [only] = canonical({ model: 'm', messages: [message] }).messages;
  assert.ok(only, 'only');
  return only;
};

function dotnetRequest(file: string, entry = 0): unknown {
  const path = fixturePath(`openai/openai-dotnet/${file}`);
  const record = JSON.parse(readFileSync(path, 'utf8')) as { Entries: Array<{ RequestBody: unknown }> };
  const found = record.Entries[entry];
  assert.ok(found, 'found');
  return found.RequestBody;
}

function rejectsWith(body: unknown, code: string, param: string): void {
  assert.throws(
    () => canonical(body),
    (error: unknown) =>
      error instanceof GatewayError && error.code === code && error.param === param && error.status === 400,
  );
}

describe('fromOpenAIChatRequest: request fields', () => {
  it('maps every scalar field to its canonical name', () => {
    const request = canonical({
      model: 'gpt-4o',
      messages: [user('hi')],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.4,
      top_p: 0.9,
      top_k: 20,
      n: 2,
      stop: 'END',
      max_tokens: 99,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      seed: 11,
      logit_bias: { '5': 1 },
      logprobs: true,
      top_logprobs: 3,
      reasoning_effort: 'low',
      service_tier: 'flex',
      user: 'alice',
      metadata: { k: 'v' },
      parallel_tool_calls: false,
    });
    assert.deepEqual(request, {
      model: 'gpt-4o',
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
      stream: true,
      includeUsage: true,
      parallelToolCalls: false,
      maxOutputTokens: 99,
      temperature: 0.4,
      topP: 0.9,
      topK: 20,
      n: 2,
      stop: ['END'],
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      seed: 11,
      logitBias: { '5': 1 },
      logprobs: true,
      topLogprobs: 3,
      reasoning: { effort: 'low' },
      serviceTier: 'flex',
      user: 'alice',
      metadata: { k: 'v' },
    });
  });

  it('max_completion_tokens wins over max_tokens; nulls are left out', () => {
    const request = canonical({
      model: 'm',
      messages: [user('x')],
      max_tokens: 5,
      max_completion_tokens: 50,
      temperature: null,
      stop: null,
    });
    assert.equal(request.maxOutputTokens, 50);
    assert.equal('temperature' in request, false);
    assert.equal('stop' in request, false);
    assert.equal(request.stream, false);
    assert.equal(request.includeUsage, false);
  });

  it('tools, tool_choice and response_format', () => {
    const request = canonical({
      model: 'm',
      messages: [user('x')],
      tools: [
        {
          type: 'function',
          function: { name: 'get', description: 'd', parameters: { type: 'object' }, strict: true },
          cache_control: { type: 'ephemeral' },
        },
        { type: 'function', function: { name: 'bare' } },
      ],
      tool_choice: { type: 'function', function: { name: 'get' } },
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'S', description: 'about', schema: { type: 'object' }, strict: false },
      },
    });
    assert.deepEqual(request.tools, [
      {
        type: 'function',
        name: 'get',
        description: 'd',
        parameters: { type: 'object' },
        strict: true,
        cache: { type: 'ephemeral' },
      },
      { type: 'function', name: 'bare' },
    ]);
    assert.deepEqual(request.toolChoice, { type: 'function', name: 'get' });
    assert.deepEqual(request.responseFormat, {
      type: 'json_schema',
      name: 'S',
      description: 'about',
      schema: { type: 'object' },
      strict: false,
    });
    for (const choice of ['auto', 'none', 'required'] as const) {
      assert.deepEqual(canonical({ model: 'm', messages: [user('x')], tool_choice: choice }).toolChoice, {
        type: choice,
      });
    }
    assert.deepEqual(
      canonical({ model: 'm', messages: [user('x')], response_format: { type: 'json_object' } }).responseFormat,
      {
        type: 'json_object',
      },
    );
  });

  it('custom tools and allowed_tools cannot be translated: a 400 naming the field', () => {
    rejectsWith(
      { model: 'm', messages: [user('x')], tools: [{ type: 'custom', custom: { name: 'g' } }] },
      'unsupported_parameter',
      'tools[0].type',
    );
    rejectsWith(
      {
        model: 'm',
        messages: [user('x')],
        tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } },
      },
      'unsupported_parameter',
      'tool_choice',
    );
  });

  it('keeps unknown fields for OpenAI-compatible upstreams and takes provider_options as given', () => {
    const request = canonical({
      model: 'm',
      messages: [user('x')],
      repetition_penalty: 1.1,
      chat_template_kwargs: { enable_thinking: false },
      store: true,
      provider_options: { anthropic: { top_k: 5 }, openai: { seed_mode: 'fixed' } },
    });
    assert.deepEqual(request.providerOptions, {
      anthropic: { top_k: 5 },
      openai: {
        repetition_penalty: 1.1,
        chat_template_kwargs: { enable_thinking: false },
        store: true,
        seed_mode: 'fixed',
      },
    });
    assert.equal(canonical({ model: 'm', messages: [user('x')] }).providerOptions, undefined);
    rejectsWith({ model: 'm', messages: [user('x')], provider_options: [1] }, 'invalid_request', 'provider_options');
    rejectsWith(
      { model: 'm', messages: [user('x')], provider_options: { gemini: 'x' } },
      'invalid_request',
      'provider_options.gemini',
    );
  });
});

describe('fromOpenAIChatRequest: messages', () => {
  it('system, developer and user text (with names)', () => {
    assert.deepEqual(single({ role: 'system', content: 'sys', name: 'ops' }), {
      role: 'system',
      name: 'ops',
      parts: [{ type: 'text', text: 'sys' }],
    });
    assert.deepEqual(
      single({
        role: 'developer',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      }),
      {
        role: 'developer',
        parts: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    );
  });

  it('user parts: text with a cache hint, images by URL and by data URL, audio, files', () => {
    const message = single(
      user([
        { type: 'text', text: 'look', cache_control: { type: 'ephemeral', ttl: '1h' } },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' } },
        { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
        { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'mp3' } },
        { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'doc.pdf' } },
        { type: 'file', file: { file_id: 'file-abc' } },
      ]),
    );
    assert.deepEqual(message.parts, [
      { type: 'text', text: 'look', cache: { type: 'ephemeral', ttl: '1h' } },
      { type: 'image', url: 'https://example.com/a.png', detail: 'high' },
      { type: 'image', data: '/9j/4AAQ', mediaType: 'image/jpeg' },
      { type: 'audio', data: 'UklGRg==', format: 'mp3' },
      { type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf', filename: 'doc.pdf' },
      { type: 'file', fileId: 'file-abc' },
    ]);
  });

  it('a malformed data URL is a 400 naming the part', () => {
    rejectsWith(
      {
        model: 'm',
        messages: [user('a'), user([{ type: 'image_url', image_url: { url: 'data:image/png,rawbytes' } }])],
      },
      'invalid_request',
      'messages[1].content[0].image_url.url',
    );
    assert.deepEqual(parseMediaUrl('data:;base64,AAAA', 'p'), { data: 'AAAA', mediaType: 'application/octet-stream' });
  });

  it('assistant: text, refusal, tool calls, reasoning', () => {
    assert.deepEqual(
      single({
        role: 'assistant',
        content: 'Let me check.',
        refusal: 'partly refused',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' }, signature: 'sig' },
        ],
      }),
      {
        role: 'assistant',
        refusal: 'partly refused',
        parts: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{"a":1}', signature: 'sig' },
        ],
      },
    );
    assert.deepEqual(
      single({
        role: 'assistant',
        content: [
          { type: 'text', text: 'a' },
          { type: 'refusal', refusal: 'no' },
        ],
      }).parts,
      [{ type: 'text', text: 'a' }],
    );
    assert.deepEqual(
      single({
        role: 'assistant',
        content: 'answer',
        reasoning_details: [
          { type: 'reasoning.text', text: 'thinking', signature: 'Eq0B' },
          { type: 'reasoning.redacted', data: 'opaque' },
        ],
      }).parts,
      [
        { type: 'reasoning', text: 'thinking', signature: 'Eq0B' },
        { type: 'reasoning', text: '', redactedData: 'opaque' },
        { type: 'text', text: 'answer' },
      ],
    );
    assert.deepEqual(single({ role: 'assistant', content: 'x', reasoning_content: 'hmm' }).parts, [
      { type: 'reasoning', text: 'hmm' },
      { type: 'text', text: 'x' },
    ]);
  });

  it('tool results and legacy function messages', () => {
    assert.deepEqual(single({ role: 'tool', tool_call_id: 'call_1', content: 'rainy' }), {
      role: 'tool',
      parts: [{ type: 'tool-result', toolCallId: 'call_1', content: 'rainy' }],
    });
    assert.deepEqual(
      single({
        role: 'tool',
        tool_call_id: 'c',
        content: [
          { type: 'text', text: '4' },
          { type: 'text', text: '2' },
        ],
      }).parts,
      [
        {
          type: 'tool-result',
          toolCallId: 'c',
          content: [
            { type: 'text', text: '4' },
            { type: 'text', text: '2' },
          ],
        },
      ],
    );
    assert.deepEqual(single({ role: 'function', name: 'lookup', content: '{"ok":true}' }), {
      role: 'tool',
      parts: [{ type: 'tool-result', toolCallId: 'lookup', content: '{"ok":true}' }],
    });
  });
});

describe('fromOpenAIChatRequest on recorded request bodies', () => {
  it('ConsecutiveToolCalls #2: the whole tool conversation', () => {
    const request = canonical(dotnetRequest('ConsecutiveToolCalls.json', 2));
    assert.equal(request.model, 'gpt-4o-mini');
    assert.deepEqual(
      request.messages.map((message) => [message.role, message.parts.map((part) => part.type).join(',')]),
      [
        ['user', 'text'],
        ['assistant', 'tool-call'],
        ['tool', 'tool-result'],
        ['assistant', 'tool-call'],
        ['tool', 'tool-result'],
      ],
    );
    const first = request.messages[1]?.parts[0];
    assert.deepEqual(first, {
      type: 'tool-call',
      id: 'call_of5sMdoBhqEZbvnNjZ3DSi1U',
      name: 'get_weather_for_city',
      arguments: '{"city_name":"Osaka"}',
    });
    assert.deepEqual(request.messages[2]?.parts[0], {
      type: 'tool-result',
      toolCallId: 'call_of5sMdoBhqEZbvnNjZ3DSi1U',
      content: 'rainy',
    });
    assert.deepEqual(
      request.tools?.map((tool) => tool.name),
      ['get_weather_for_city', 'get_mood_for_weather'],
    );
  });

  it('O3miniDeveloperMessagesWork: developer role and reasoning effort', () => {
    const request = canonical(dotnetRequest('O3miniDeveloperMessagesWork.json'));
    assert.equal(request.messages[0]?.role, 'developer');
    assert.deepEqual(request.reasoning, { effort: 'low' });
  });

  it('TokenLogProbabilitiesStreaming(True): stream with usage and top logprobs', () => {
    const request = canonical(dotnetRequest('TokenLogProbabilitiesStreaming(True).json'));
    assert.equal(request.stream, true);
    assert.equal(request.includeUsage, true);
    assert.equal(request.logprobs, true);
    assert.equal(request.topLogprobs, 3);
  });

  it('ReasoningTokensWork: max_completion_tokens', () => {
    assert.equal(canonical(dotnetRequest('ReasoningTokensWork.json')).maxOutputTokens, 2148);
  });
});

describe('Anthropic-style thinking field', () => {
  it('maps an enabled budget and a disabled switch onto reasoning', () => {
    const enabled = canonical({
      model: 'm',
      messages: [user('hi')],
      thinking: { type: 'enabled', budget_tokens: 3000 },
    });
    assert.deepEqual(enabled.reasoning, { includeThoughts: true, budgetTokens: 3000 });
    const disabled = canonical({
      model: 'm',
      messages: [user('hi')],
      reasoning_effort: 'high',
      thinking: { type: 'disabled' },
    });
    assert.deepEqual(disabled.reasoning, { effort: 'none' });
  });

  it('rejects a malformed thinking field naming it', () => {
    assert.throws(
      () => canonical({ model: 'm', messages: [user('hi')], thinking: { type: 'on' } }),
      (error: unknown) => error instanceof GatewayError && error.param === 'thinking.type',
    );
  });
});
