/**
 * OpenAI request → canonical → OpenAI request (the path an OpenAI client takes to an OpenAI-compatible
 * upstream when the body must be rebuilt): nothing may be lost. Uses the real request bodies recorded in the
 * openai-dotnet SessionRecords and the pydantic-ai cassettes, plus one body using every mapped field.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpenAIChatRequest } from '../src/protocols/openai-chat.ts';
import { toOpenAIChatBody } from '../src/providers/openai-compatible/request.ts';
import { fromOpenAIChatRequest } from '../src/surfaces/openai-chat/to-canonical.ts';
import { validateChatRequest } from '../src/surfaces/openai-chat/validate-request.ts';
import { listFixtures, loadCassette, loadDotnetRecord } from './support/fixtures.ts';
import { isRecord, type JsonRecord } from './support/json-guards.ts';

const roundTrip = (body: unknown): OpenAIChatRequest =>
  toOpenAIChatBody(fromOpenAIChatRequest(validateChatRequest(structuredClone(body))));

/**
 * The canonicalizations the round trip makes, both meaning the same to OpenAI: an assistant message that only
 * carries tool_calls gets an explicit `content: null`, and `stream: false` (the default) is left out.
 */
function canonicalSpelling(body: JsonRecord): JsonRecord {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const { stream, ...rest } = body;
  return {
    ...rest,
    ...(stream === undefined || stream === false ? {} : { stream }),
    messages: messages.map((message) =>
      isRecord(message) && message.role === 'assistant' && !('content' in message)
        ? { ...message, content: null }
        : message,
    ),
  };
}

interface RecordedRequest {
  name: string;
  body: JsonRecord;
}

function recordedRequests(): RecordedRequest[] {
  const out: RecordedRequest[] = [];
  for (const rel of listFixtures('openai/openai-dotnet', '.json')) {
    loadDotnetRecord(rel).entries.forEach((entry, index) => {
      if (isRecord(entry.requestBody)) out.push({ name: `${rel} #${index}`, body: entry.requestBody });
    });
  }
  for (const rel of listFixtures('openai/pydantic-ai', '.yaml')) {
    loadCassette(rel).interactions.forEach((interaction, index) => {
      if (isRecord(interaction.request.body)) out.push({ name: `${rel} #${index}`, body: interaction.request.body });
    });
  }
  return out;
}

describe('OpenAI request round trip through the canonical model', () => {
  const recorded = recordedRequests();

  it('has the recorded request bodies to replay', () => {
    assert.ok(recorded.length >= 14, `${recorded.length} bodies`);
    const roles = new Set(
      recorded.flatMap(({ body }) =>
        (Array.isArray(body.messages) ? body.messages : []).map((message) =>
          isRecord(message) ? message.role : undefined,
        ),
      ),
    );
    for (const role of ['system', 'developer', 'user', 'assistant', 'tool']) assert.ok(roles.has(role), role);
  });

  for (const { name, body } of recorded) {
    it(`keeps every field of ${name}`, () => {
      assert.deepEqual(roundTrip(body), canonicalSpelling(body));
    });
  }

  it('keeps every mapped field of a request that uses them all', () => {
    const body = {
      model: 'gpt-4o',
      messages: [
        { role: 'developer', content: 'Answer tersely.' },
        { role: 'system', content: 'You are a weather bot.', name: 'ops' },
        {
          role: 'user',
          name: 'alice',
          content: [
            { type: 'text', text: 'Look at these' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==', detail: 'low' } },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
            { type: 'file', file: { file_id: 'file-abc123' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Calling the tool.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp":3}' },
        { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            strict: true,
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'Weather', description: 'a forecast', schema: { type: 'object' }, strict: true },
      },
      max_completion_tokens: 256,
      temperature: 0.3,
      top_p: 0.8,
      n: 2,
      stop: ['END', 'STOP'],
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      seed: 7,
      logit_bias: { '1734': -100 },
      logprobs: true,
      top_logprobs: 4,
      reasoning_effort: 'high',
      service_tier: 'flex',
      user: 'user-1234',
      metadata: { team: 'weather' },
      stream: true,
      stream_options: { include_usage: true },
      store: true,
      verbosity: 'low',
      prediction: { type: 'content', content: 'Oslo' },
    };
    assert.deepEqual(roundTrip(body), body);
  });

  it('a single stop string and max_tokens come back in their canonical spelling', () => {
    const out = roundTrip({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stop: 'END', max_tokens: 12 });
    assert.deepEqual(out.stop, ['END']);
    assert.equal(out.max_completion_tokens, 12);
    assert.equal('max_tokens' in out, false);
  });

  it('stream_options survive only when usage was asked for on a stream', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    assert.equal('stream_options' in roundTrip({ ...base, stream: true }), false);
    assert.deepEqual(roundTrip({ ...base, stream: true, stream_options: { include_usage: true } }).stream_options, {
      include_usage: true,
    });
  });
});
