/**
 * End to end: the official `openai` SDK (v6) → llmux → a local Gemini stand-in serving recorded Gemini
 * API bytes (test/fixtures/gemini). Checks what the SDK gets and what llmux sent upstream.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { loadFirebaseMock } from '../support/fixtures.ts';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { geminiJsonStep, geminiSseStep } from '../support/gemini-replay.ts';
import { isRecord, type JsonRecord } from '../support/json-guards.ts';
import { collectChunks, contentOf } from '../support/sdk-helpers.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

const GEMINI_KEY = 'test-gemini-key';
const FB = 'gemini/firebase-vertexai-sdk-test-data';

function recordAt(value: unknown, what: string): JsonRecord {
  assert.ok(isRecord(value), `${what}: expected an object`);
  return value;
}

describe('openai SDK → llmux → Gemini', () => {
  let gateway: Gateway | undefined;
  let sim: Simulator;
  let client: OpenAI;

  before(async () => {
    gateway = await startGateway({
      upstreams: { google: { type: 'gemini', apiKey: GEMINI_KEY } },
      config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: gemini-3-pro
    deployments: [{ provider: google, model: gemini-3-pro-preview }]
  - name: gemini-flash
    deployments: [{ provider: google, model: gemini-2.5-flash }]
`,
    });
    sim = simOf(gateway, 'google');
    client = gateway.client;
  });
  after(() => gateway?.close());
  afterEach(() => sim.reset());

  /** The JSON body and metadata of upstream request `index`. */
  function upstream(index: number): { path: string; key: unknown; body: JsonRecord } {
    const request = sim.requests[index];
    assert.ok(request, `upstream request ${index}`);
    return {
      path: request.path,
      key: request.headers['x-goog-api-key'],
      body: recordAt(request.json, 'upstream body'),
    };
  }

  it('text, not streaming: content, usage with thoughts in completion_tokens, generateContent URL and key header', async () => {
    sim.enqueue(geminiJsonStep('gemini/vercel-ai/google-text.json'));
    const { data, response } = await client.chat.completions
      .create({
        model: 'gemini-3-pro',
        messages: [
          { role: 'system', content: 'Be exact.' },
          { role: 'user', content: 'How many rs in strawberry?' },
        ],
      })
      .withResponse();
    assert.equal(response.headers.get('x-llmux-provider'), 'google');
    const choice = data.choices[0];
    assert.ok(choice);
    assert.ok(choice.message.content?.startsWith("There are **3** r's in strawberry."));
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(data.model, 'gemini-3-pro-preview');
    assert.deepEqual(
      [
        data.usage?.prompt_tokens,
        data.usage?.completion_tokens,
        data.usage?.total_tokens,
        data.usage?.completion_tokens_details?.reasoning_tokens,
      ],
      [9, 272, 281, 244],
    );
    const sent = upstream(0);
    assert.equal(sent.path, '/v1beta/models/gemini-3-pro-preview:generateContent');
    assert.equal(sent.key, GEMINI_KEY);
    assert.deepEqual(sent.body.systemInstruction, { parts: [{ text: 'Be exact.' }] });
    assert.deepEqual(sent.body.contents, [{ role: 'user', parts: [{ text: 'How many rs in strawberry?' }] }]);
  });

  it('text, streaming in small writes: deltas, finish, usage chunk; streamGenerateContent?alt=sse', async () => {
    sim.enqueue(geminiSseStep('gemini/vercel-ai/google-text.chunks.txt', { chunkBytes: 7 }));
    const stream = await client.chat.completions.create({
      model: 'gemini-3-pro',
      messages: [{ role: 'user', content: 'How many rs in strawberry?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collectChunks(stream);
    assert.equal(contentOf(chunks), 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y');
    assert.equal(chunks.flatMap((c) => c.choices).find((c) => c.finish_reason)?.finish_reason, 'stop');
    const last = chunks.at(-1);
    assert.deepEqual(last?.choices, []);
    assert.deepEqual(
      [last?.usage?.prompt_tokens, last?.usage?.completion_tokens, last?.usage?.total_tokens],
      [9, 208, 217],
    );
    assert.equal(upstream(0).path, '/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
  });

  it('parallel tool calls: unique ids, tool_calls finish (JSON) and indexes counted across the stream', async () => {
    sim.enqueue(geminiJsonStep(`${FB}/vertexai/unary-success-function-call-parallel-calls.json`));
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'sum',
          parameters: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } },
        },
      },
    ];
    const data = await client.chat.completions.create({
      model: 'gemini-flash',
      messages: [{ role: 'user', content: 'sums' }],
      tools,
    });
    const calls = data.choices[0]?.message.tool_calls ?? [];
    assert.equal(data.choices[0]?.finish_reason, 'tool_calls');
    assert.deepEqual(
      calls.map((call) => (call.type === 'function' ? [call.function.name, call.function.arguments] : [])),
      [
        ['sum', '{"y":1,"x":2}'],
        ['sum', '{"y":3,"x":4}'],
        ['sum', '{"y":5,"x":6}'],
      ],
    );
    assert.equal(new Set(calls.map((call) => call.id)).size, 3);
    assert.deepEqual(upstream(0).body.tools, [
      {
        functionDeclarations: [
          { name: 'sum', parametersJsonSchema: tools[0]?.type === 'function' ? tools[0].function.parameters : null },
        ],
      },
    ]);

    sim.enqueue(geminiSseStep('gemini/vercel-ai/google-stream-no-args-tool-call.chunks.txt'));
    const stream = await client.chat.completions.create({
      model: 'gemini-flash',
      messages: [{ role: 'user', content: 'screens' }],
      tools,
      stream: true,
    });
    const deltas = (await collectChunks(stream)).flatMap((chunk) =>
      chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []),
    );
    const starts = deltas.filter((delta) => delta.id);
    assert.deepEqual(
      starts.map((delta) => [delta.index, delta.function?.name]),
      [
        [0, 'read_theme'],
        [1, 'read_screen'],
        [2, 'read_screen'],
        [3, 'read_screen'],
      ],
    );
  });

  it('multi-turn tool use with thinking: the thoughtSignature goes back to Gemini on the replayed functionCall', async () => {
    const rel = 'gemini/pydantic-ai/test_google_streaming_tool_call_thought_signature.yaml';
    sim.enqueue(geminiSseStep(rel, { index: 0 }), geminiSseStep(rel, { index: 1 }));
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_country',
          description: '',
          parameters: { type: 'object', properties: {}, additionalProperties: false },
        },
      },
    ];
    const question = { role: 'user' as const, content: 'What is the capital of the user country? Call the tool' };
    const first = await collectChunks(
      await client.chat.completions.create({ model: 'gemini-3-pro', messages: [question], tools, stream: true }),
    );
    const delta = first
      .flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []))
      .find((d) => d.id);
    assert.ok(delta?.id && delta.function?.name === 'get_country');
    const signature = (delta as { signature?: string }).signature;
    assert.ok(signature, 'tool call delta carries the thoughtSignature');
    assert.equal(first.flatMap((c) => c.choices).find((c) => c.finish_reason)?.finish_reason, 'tool_calls');

    const assistant = {
      role: 'assistant' as const,
      content: null,
      tool_calls: [
        { id: delta.id, type: 'function' as const, function: { name: 'get_country', arguments: '{}' }, signature },
      ],
    };
    const second = await collectChunks(
      await client.chat.completions.create({
        model: 'gemini-3-pro',
        messages: [question, assistant, { role: 'tool', tool_call_id: delta.id, content: 'Mexico' }],
        tools,
        stream: true,
      }),
    );
    assert.equal(contentOf(second), 'The capital of Mexico is Mexico City.');
    const replay = upstream(1);
    assert.equal(replay.path, '/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
    assert.equal(replay.key, GEMINI_KEY);
    assert.deepEqual(replay.body.contents, [
      { role: 'user', parts: [{ text: question.content }] },
      {
        role: 'model',
        parts: [{ functionCall: { id: delta.id, name: 'get_country', args: {} }, thoughtSignature: signature }],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { id: delta.id, name: 'get_country', response: { output: 'Mexico' } } }],
      },
    ]);
  });

  it('json_schema → responseMimeType + responseJsonSchema; the JSON answer comes back as content', async () => {
    sim.enqueue(geminiJsonStep('gemini/vercel-ai/google-response-schema-7689.json'));
    const schema = {
      type: 'object',
      properties: { location: { type: 'string' } },
      required: ['location'],
      additionalProperties: false,
    };
    const data = await client.chat.completions.create({
      model: 'gemini-flash',
      messages: [{ role: 'user', content: 'Where is the Eiffel tower?' }],
      response_format: { type: 'json_schema', json_schema: { name: 'place', schema, strict: true } },
    });
    assert.deepEqual(JSON.parse(data.choices[0]?.message.content ?? ''), { location: 'Paris' });
    assert.deepEqual(upstream(0).body.generationConfig, {
      responseMimeType: 'application/json',
      responseJsonSchema: schema,
    });
  });

  it('images: a data URL becomes inlineData and an https URL fileData with its MIME type', async () => {
    sim.enqueue(geminiJsonStep(`${FB}/googleai/unary-success-basic-reply-short.json`));
    await client.chat.completions.create({
      model: 'gemini-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/photo.jpg' } },
          ],
        },
      ],
    });
    assert.deepEqual(upstream(0).body.contents, [
      {
        role: 'user',
        parts: [
          { text: 'What is this?' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/photo.jpg' } },
        ],
      },
    ]);
  });

  it('n=2 → candidateCount 2, two choices back', async () => {
    // No recording has two candidates: the body joins two recorded Firebase candidates as index 0 and 1.
    const one = JSON.parse(
      loadFirebaseMock(`${FB}/googleai/unary-success-basic-reply-short.json`).body.toString('utf8'),
    ) as JsonRecord;
    const two = JSON.parse(
      loadFirebaseMock(`${FB}/vertexai/unary-success-usage-metadata.json`).body.toString('utf8'),
    ) as JsonRecord;
    const candidate = (body: JsonRecord, index: number) => ({
      ...recordAt((body.candidates as unknown[])[0], 'candidate'),
      index,
    });
    sim.enqueue({ kind: 'json', body: { ...one, candidates: [candidate(one, 0), candidate(two, 1)] } });
    const data = await client.chat.completions.create({
      model: 'gemini-flash',
      messages: [{ role: 'user', content: 'Where is Google?' }],
      n: 2,
    });
    assert.deepEqual(
      data.choices.map((choice) => [choice.index, choice.finish_reason]),
      [
        [0, 'stop'],
        [1, 'stop'],
      ],
    );
    assert.equal(data.choices[1]?.message.content, 'Mountain View, California, United States');
    assert.equal(sim.requests.length, 1);
    assert.deepEqual(upstream(0).body.generationConfig, { candidateCount: 2 });
  });
});
