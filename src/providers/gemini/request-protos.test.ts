/**
 * Every key of every request the adapter builds is a field of the v1beta protos
 * (test/fixtures/specs/gemini-v1beta-protos), and recorded requests of real clients are reproduced.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fixturePath, loadCassette, loadJsGenaiRecording } from '../../../test/support/fixtures.ts';
import { loadProtoMessages, unknownFields } from '../../../test/support/providers/gemini/proto-schema.ts';
import { buildBody } from '../../../test/support/providers/gemini/test-helpers.ts';
import type { OpenAIChatRequest } from '../../protocols/openai-chat.ts';

const messages = loadProtoMessages(fixturePath('specs/gemini-v1beta-protos'));
/**
 * Gemini 3's ThinkingConfig.thinkingLevel is newer than the proto snapshot (bc3ba…, 2025-12); it is
 * in the official SDK's ThinkingConfig (checked below).
 */
const EXTRA_FIELDS = { ThinkingConfig: ['thinkingLevel'] };

const everything: Partial<OpenAIChatRequest> = {
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'developer', content: 'dev' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'look' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' } },
        { type: 'input_audio', input_audio: { data: 'UklG', format: 'wav' } },
      ],
    },
    {
      role: 'assistant',
      content: 'calling',
      reasoning_details: [{ type: 'reasoning.text', text: 'hmm', signature: 'S0' }],
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' }, signature: 'S1' }],
    },
    {
      role: 'tool',
      tool_call_id: 'c1',
      content: [
        { type: 'text', text: 'ok' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,BBBB' } },
      ],
    },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'f',
        description: 'd',
        parameters: { type: 'object', properties: { a: { type: ['integer', 'null'] } } },
      },
    },
  ],
  tool_choice: { type: 'function', function: { name: 'f' } },
  response_format: {
    type: 'json_schema',
    json_schema: { name: 'x', schema: { type: 'object', properties: { y: { type: 'string' } } } },
  },
  max_tokens: 100,
  temperature: 0.5,
  top_p: 0.5,
  top_k: 5,
  seed: 1,
  n: 2,
  stop: ['x'],
  logprobs: true,
  top_logprobs: 2,
  reasoning_effort: 'low',
  modalities: ['text'],
};

describe('Gemini request: field names', () => {
  it('the proto parser sees the messages the checks rely on', () => {
    for (const name of [
      'GenerateContentRequest',
      'Content',
      'Part',
      'GenerationConfig',
      'ThinkingConfig',
      'Tool',
      'FunctionDeclaration',
      'ToolConfig',
      'FunctionCallingConfig',
      'Schema',
    ]) {
      assert.ok(messages.get(name)?.size, name);
    }
    assert.ok(messages.get('GenerationConfig')?.has('responseJsonSchema'), 'json_name of response_json_schema_ordered');
    assert.ok(messages.get('Part')?.has('thoughtSignature'));
  });

  it('thinkingLevel is a field of the official SDK ThinkingConfig', () => {
    const types = readFileSync(new URL('../../../node_modules/@google/genai/dist/genai.d.ts', import.meta.url), 'utf8');
    const thinkingConfig = /export declare interface ThinkingConfig \{([\s\S]*?)\n\}/.exec(types)?.[1] ?? '';
    assert.match(thinkingConfig, /thinkingLevel\?: ThinkingLevel;/);
  });

  for (const model of ['gemini-3-flash-preview', 'gemini-2.5-pro', 'gemini-1.5-flash', 'gemma-3-27b-it']) {
    for (const stream of [false, true]) {
      it(`${model}${stream ? ' (stream)' : ''}: every key is a proto field`, () => {
        const { body } = buildBody({ ...everything, stream }, { model, capabilities: { dropUnsupported: true } });
        assert.deepEqual(unknownFields(messages, 'GenerateContentRequest', body, EXTRA_FIELDS), []);
      });
    }
  }

  it('the checker does catch a wrong key', () => {
    assert.deepEqual(
      unknownFields(messages, 'GenerateContentRequest', {
        contents: [{ parts: [{ functionCall: { name: 'f', argz: {} } }] }],
        generationConfig: { maxTokens: 1 },
      }),
      ['GenerateContentRequest.contents.parts.functionCall.argz', 'GenerateContentRequest.generationConfig.maxTokens'],
    );
  });
});

describe('Gemini request: recorded client requests reproduced', () => {
  it('pydantic-ai thought-signature cassette: the second request replays the functionCall with its thoughtSignature', () => {
    const { interactions } = loadCassette('gemini/pydantic-ai/test_google_streaming_tool_call_thought_signature.yaml');
    const recorded = interactions[1]?.request.body as { contents: Array<{ parts: Array<Record<string, unknown>> }> };
    const recordedCall = recorded.contents[1]?.parts[0] as { functionCall: { id: string }; thoughtSignature: string };
    const { body, request } = buildBody(
      {
        stream: true,
        messages: [
          { role: 'user', content: 'What is the capital of the user country? Call the tool' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: recordedCall.functionCall.id,
                type: 'function',
                function: { name: 'get_country', arguments: '{}' },
                signature: recordedCall.thoughtSignature,
              },
            ],
          },
          { role: 'tool', tool_call_id: recordedCall.functionCall.id, content: '{"return_value":"Mexico"}' },
        ],
      },
      { model: 'gemini-3-pro-preview' },
    );
    assert.equal(request.url, interactions[1]?.request.uri);
    assert.deepEqual(body.contents, recorded.contents);
  });

  it('js-genai AFC recording: functionCall history and functionResponse {output: 42} as the SDK sent them', () => {
    const recording = loadJsGenaiRecording(
      'gemini/js-genai/AFC_Streaming_Tests_generateContentStream_afc_enabled_Google_AI_AFC_enabled.json',
    );
    const recorded = recording.interactions[1]?.request.body as {
      contents: unknown[];
      toolConfig: unknown;
      tools: unknown;
    };
    const { body, request } = buildBody(
      {
        stream: true,
        messages: [
          { role: 'user', content: 'Divide 10 by 2 using the customDivide function' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: '',
                type: 'function',
                function: { name: 'customDivide', arguments: '{"denominator":2,"numerator":10}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: '', name: 'customDivide', content: '42' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'customDivide',
              description: 'Custom divide function',
              parameters: {
                type: 'object',
                properties: { denominator: { type: 'number' }, numerator: { type: 'number' } },
              },
            },
          },
        ],
        tool_choice: 'auto',
      },
      { model: 'gemini-2.0-flash', baseUrl: 'https://generativelanguage.googleapis.com' },
    );
    assert.ok(request.url.endsWith(recording.interactions[1]?.request.url ?? '-'));
    assert.deepEqual(body.contents, recorded.contents);
    assert.deepEqual(body.tools, recorded.tools);
    assert.deepEqual(body.toolConfig, recorded.toolConfig);
  });
});
