/** Tools, tool_choice, generationConfig, URL and headers of the Gemini request, field by field. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildBody } from '../../../test/support/providers/gemini/test-helpers.ts';
import { GatewayError } from '../../core/errors.ts';
import type { OpenAITool } from '../../protocols/openai-chat.ts';

const user = [{ role: 'user' as const, content: 'Hi' }];
const weather: OpenAITool = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'Weather for a city',
    parameters: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: ['string', 'null'], enum: ['c', 'f', null] } },
      required: ['city'],
      additionalProperties: false,
    },
  },
};
const now: OpenAITool = { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } };
const isUnsupported = (param: string) => (error: unknown) =>
  error instanceof GatewayError &&
  error.code === 'unsupported_parameter' &&
  error.status === 400 &&
  error.param === param;

describe('Gemini request: URL and headers', () => {
  it('generateContent vs streamGenerateContent?alt=sse; key in x-goog-api-key, never in the URL', () => {
    const plain = buildBody({ messages: user }).request;
    assert.equal(plain.url, 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(plain.headers['x-goog-api-key'], 'AIzaSyTEST-key-0123456789abcdef');
    assert.equal(plain.headers['content-type'], 'application/json');
    assert.ok(!plain.url.includes('key='));
    const streaming = buildBody({ messages: user, stream: true }).request;
    assert.equal(
      streaming.url,
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
  });

  it('a base URL that already ends in an API version is kept; model prefixes and extra headers too', () => {
    const url = (baseUrl: string, model = 'gemini-2.5-flash') =>
      buildBody({ messages: user }, { baseUrl, model }).request.url;
    assert.equal(url('http://127.0.0.1:9/v1beta'), 'http://127.0.0.1:9/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(
      url('http://127.0.0.1:9/v1beta/'),
      'http://127.0.0.1:9/v1beta/models/gemini-2.5-flash:generateContent',
    );
    assert.equal(
      url('http://127.0.0.1:9/proxy'),
      'http://127.0.0.1:9/proxy/v1beta/models/gemini-2.5-flash:generateContent',
    );
    assert.equal(url('http://h/v1', 'models/gemini-2.0-flash'), 'http://h/v1/models/gemini-2.0-flash:generateContent');
    assert.equal(url('http://h', 'tunedModels/my-model'), 'http://h/v1beta/tunedModels/my-model:generateContent');
    const headers = buildBody({ messages: user }, { headers: { 'x-extra': '1' } }).request.headers;
    assert.equal(headers['x-extra'], '1');
  });
});

describe('Gemini request: tools', () => {
  it('JSON Schema goes to parametersJsonSchema ($schema and strict removed); no-argument tools have no parameters', () => {
    const { body } = buildBody({ messages: user, tools: [weather, now] });
    assert.deepEqual(body.tools, [
      {
        functionDeclarations: [
          {
            name: 'weather',
            description: 'Weather for a city',
            parametersJsonSchema: {
              type: 'object',
              properties: { city: { type: 'string' }, unit: { type: ['string', 'null'], enum: ['c', 'f', null] } },
              required: ['city'],
              additionalProperties: false,
            },
          },
          { name: 'now' },
        ],
      },
    ]);
    assert.equal(body.toolConfig, undefined);
  });

  it('models without JSON Schema support get the OpenAPI subset in parameters', () => {
    const tool: OpenAITool = {
      type: 'function',
      function: {
        name: 'book',
        parameters: {
          type: 'object',
          $defs: {
            Guest: {
              type: 'object',
              properties: { name: { type: 'string', format: 'email' } },
              additionalProperties: false,
            },
          },
          properties: {
            guest: { $ref: '#/$defs/Guest' },
            nights: { type: 'integer', minimum: 1, format: 'int32' },
            kind: { const: 'hotel' },
            note: { anyOf: [{ type: 'string' }, { type: 'null' }], description: 'free text' },
            size: { enum: [1, 2] },
            when: { type: 'string', format: 'date-time' },
            tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
          },
          required: ['guest', 'missing'],
          additionalProperties: false,
        },
      },
    };
    const { body } = buildBody({ messages: user, tools: [tool] }, { model: 'gemini-1.5-pro' });
    assert.deepEqual(body.tools, [
      {
        functionDeclarations: [
          {
            name: 'book',
            parameters: {
              type: 'OBJECT',
              properties: {
                guest: { type: 'OBJECT', properties: { name: { type: 'STRING' } } },
                nights: { type: 'INTEGER', format: 'int32', minimum: 1 },
                kind: { type: 'STRING', enum: ['hotel'] },
                note: { type: 'STRING', nullable: true, description: 'free text' },
                size: { description: 'Allowed values: 1, 2' },
                when: { type: 'STRING', format: 'date-time' },
                tags: { type: 'ARRAY', minItems: 1, items: { type: 'STRING' } },
              },
              required: ['guest'],
            },
          },
        ],
      },
    ]);
  });

  it('tool_choice auto/none/required/named → functionCallingConfig AUTO/NONE/ANY (+allowedFunctionNames)', () => {
    const config = (tool_choice: unknown) =>
      buildBody({ messages: user, tools: [weather, now], tool_choice } as never).body.toolConfig;
    assert.deepEqual(config('auto'), { functionCallingConfig: { mode: 'AUTO' } });
    assert.deepEqual(config('none'), { functionCallingConfig: { mode: 'NONE' } });
    assert.deepEqual(config('required'), { functionCallingConfig: { mode: 'ANY' } });
    assert.deepEqual(config({ type: 'function', function: { name: 'now' } }), {
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['now'] },
    });
    const none = buildBody({ messages: user, tools: [weather], tool_choice: 'none' }).body;
    assert.ok(Array.isArray(none.tools), 'tool_choice none keeps the tools');
  });

  it('strict tools use VALIDATED under auto', () => {
    const strict: OpenAITool = { type: 'function', function: { ...weather.function, strict: true } };
    assert.deepEqual(buildBody({ messages: user, tools: [strict] }).body.toolConfig, {
      functionCallingConfig: { mode: 'VALIDATED' },
    });
  });

  it('parallel_tool_calls false: Gemini has no switch, so llmux keeps the first call and says so', () => {
    for (const tools of [[weather], [weather, now]]) {
      const { body, warnings } = buildBody({ messages: user, tools, parallel_tool_calls: false });
      assert.ok(body.tools, 'the tools are sent');
      assert.deepEqual(warnings, [
        'parallel_tool_calls=false: Gemini has no such switch; only the first function call is kept',
      ]);
    }
    const none = buildBody({ messages: user, tools: [weather], tool_choice: 'none', parallel_tool_calls: false });
    assert.deepEqual(none.warnings, [], 'no call can come back under tool_choice none');
  });
});

describe('Gemini request: generationConfig', () => {
  it('sampling fields, n, stop and max tokens map to their Gemini names', () => {
    const { body, warnings } = buildBody(
      {
        messages: user,
        max_completion_tokens: 500,
        temperature: 0.3,
        top_p: 0.9,
        top_k: 40,
        seed: 7,
        n: 2,
        stop: 'END',
        presence_penalty: 0.5,
        frequency_penalty: -0.5,
      },
      { model: 'gemini-2.0-flash' },
    );
    assert.deepEqual(body.generationConfig, {
      candidateCount: 2,
      stopSequences: ['END'],
      maxOutputTokens: 500,
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
    });
    assert.deepEqual(warnings, []);
    assert.deepEqual(buildBody({ messages: user, max_tokens: 9 }).body.generationConfig, { maxOutputTokens: 9 });
  });

  it('more than 5 stop sequences: the first 5 are sent, with a warning', () => {
    const { body, warnings } = buildBody({ messages: user, stop: ['a', 'b', 'c', 'd', 'e', 'f'] });
    assert.deepEqual((body.generationConfig as { stopSequences: string[] }).stopSequences, ['a', 'b', 'c', 'd', 'e']);
    assert.deepEqual(warnings, ['stop: Gemini takes at most 5 sequences; only the first 5 were sent']);
  });

  it('penalties are unsupported on Gemini 2.5 (recorded 400 "Penalty is not enabled"); 0 is harmless', () => {
    assert.throws(() => buildBody({ messages: user, presence_penalty: 0.5 }), isUnsupported('presence_penalty'));
    assert.deepEqual(buildBody({ messages: user, frequency_penalty: 0 }).body.generationConfig, undefined);
    const dropped = buildBody({ messages: user, frequency_penalty: 1 }, { capabilities: { dropUnsupported: true } });
    assert.equal(dropped.body.generationConfig, undefined);
    assert.match(dropped.warnings[0] ?? '', /^frequency_penalty dropped/);
  });

  it('logprobs → responseLogprobs, top_logprobs → logprobs', () => {
    assert.deepEqual(buildBody({ messages: user, logprobs: true, top_logprobs: 3 }).body.generationConfig, {
      responseLogprobs: true,
      logprobs: 3,
    });
  });

  it('response_format json_object → application/json; json_schema → responseJsonSchema, or responseSchema for older models', () => {
    assert.deepEqual(buildBody({ messages: user, response_format: { type: 'json_object' } }).body.generationConfig, {
      responseMimeType: 'application/json',
    });
    const schema = {
      type: 'object',
      properties: { b: { type: 'string' }, a: { type: 'number' } },
      required: ['b'],
      additionalProperties: false,
    };
    const format = {
      type: 'json_schema' as const,
      json_schema: { name: 'out', description: 'The answer', schema, strict: true },
    };
    assert.deepEqual(buildBody({ messages: user, response_format: format }).body.generationConfig, {
      responseMimeType: 'application/json',
      responseJsonSchema: { ...schema, description: 'The answer' },
    });
    assert.deepEqual(
      buildBody({ messages: user, response_format: format }, { model: 'gemini-1.5-flash' }).body.generationConfig,
      {
        responseMimeType: 'application/json',
        responseSchema: {
          type: 'OBJECT',
          description: 'The answer',
          properties: { b: { type: 'STRING' }, a: { type: 'NUMBER' } },
          required: ['b'],
          propertyOrdering: ['b', 'a'],
        },
      },
    );
  });

  it('the OpenAI modalities extra → responseModalities; hint fields (store) are listed as ignored', () => {
    const { body, warnings } = buildBody({
      messages: user,
      modalities: ['text'],
      store: true,
      user: 'u1',
      metadata: { a: 'b' },
      service_tier: 'flex',
    });
    assert.deepEqual(body.generationConfig, { responseModalities: ['TEXT'] });
    assert.deepEqual(warnings, [
      'service_tier ignored (no Gemini API equivalent)',
      'user ignored (no Gemini API equivalent)',
      'metadata ignored (no Gemini API equivalent)',
      'store ignored (no Gemini API equivalent)',
    ]);
  });

  it('logit_bias has no Gemini equivalent: 400, or dropped with a warning', () => {
    assert.throws(() => buildBody({ messages: user, logit_bias: { '50256': -100 } }), isUnsupported('logit_bias'));
    const dropped = buildBody(
      { messages: user, logit_bias: { '50256': -100 } },
      { capabilities: { dropUnsupported: true } },
    );
    assert.deepEqual(dropped.warnings, ['logit_bias dropped: has no Gemini equivalent']);
  });
});
