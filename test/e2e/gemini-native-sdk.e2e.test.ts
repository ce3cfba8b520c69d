/**
 * End to end: the official `@google/genai` SDK with `httpOptions.baseUrl` → llmux's Gemini native
 * surface → (a) a Gemini deployment replaying recorded Gemini bytes (passthrough) and (b) an
 * OpenAI-compatible deployment (translated through the canonical model).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import { FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { geminiJsonStep, geminiSseStep } from '../support/gemini-replay.ts';
import { asArray, asRecord, type JsonRecord } from '../support/json-guards.ts';
import { openAIAnswer, openAIChunk, openAIStreamFrames, openAIUsageChunk } from '../support/openai-steps.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

const GEMINI_KEY = 'test-gemini-key';
const FIXTURES = new URL('../fixtures/', import.meta.url);

describe('@google/genai → llmux Gemini surface', () => {
  let gateway: Gateway;
  let google: Simulator;
  let local: Simulator;
  let ai: GoogleGenAI;

  before(async () => {
    gateway = await startGateway({
      upstreams: { google: { type: 'gemini', apiKey: GEMINI_KEY }, local: 'openai-compatible' },
      config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: gemini-3-pro
    deployments: [{ provider: google, model: gemini-3-pro-preview }]
  - name: local-model
    deployments: [{ provider: local, model: qwen-local }]
`,
    });
    google = simOf(gateway, 'google');
    local = simOf(gateway, 'local');
    ai = new GoogleGenAI({ apiKey: gateway.llmux.apiKey, httpOptions: { baseUrl: gateway.llmux.url } });
  });
  after(() => gateway.close());
  afterEach(() => {
    google.reset();
    local.reset();
  });

  const upstreamBody = (sim: Simulator, index = -1): JsonRecord =>
    asRecord(sim.requests.at(index)?.json, 'upstream body');

  async function logRow(requestId: string) {
    const store = gateway.llmux.app.store;
    for (let tries = 0; tries < 50; tries++) {
      await store.requestLog.flush();
      const row = (await store.listRequests({ limit: 1000 })).find((r) => r.requestId === requestId);
      if (row) return row;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail(`no request log row for ${requestId}`);
  }

  describe('passthrough to a Gemini deployment', () => {
    it('generateContent: the recorded answer as is, the body sent unchanged to the deployment model, usage logged', async () => {
      google.enqueue(geminiJsonStep('gemini/vercel-ai/google-text.json'));
      const recorded = JSON.parse(readFileSync(new URL('gemini/vercel-ai/google-text.json', FIXTURES), 'utf8'));
      const response = await ai.models.generateContent({
        model: 'gemini-3-pro',
        contents: 'How many rs in strawberry?',
        config: { systemInstruction: 'Be exact.', temperature: 0.2 },
      });
      assert.equal(response.text, recorded.candidates[0].content.parts[0].text, 'the recorded text');
      assert.equal(
        response.usageMetadata?.totalTokenCount,
        recorded.usageMetadata.totalTokenCount,
        'usage as recorded',
      );
      const request = google.requests[0];
      assert.ok(request, 'one upstream request');
      assert.equal(request.path, '/v1beta/models/gemini-3-pro-preview:generateContent', 'deployment model in the URL');
      assert.equal(request.headers['x-goog-api-key'], GEMINI_KEY, "the deployment's key, not the client's");
      const body = upstreamBody(google);
      assert.deepEqual(body.systemInstruction, { parts: [{ text: 'Be exact.' }], role: 'user' }, 'system as sent');
      assert.deepEqual(body.generationConfig, { temperature: 0.2 }, 'config as sent');
      const requestId = response.sdkHttpResponse?.headers?.['x-request-id'];
      assert.ok(requestId, 'x-request-id header');
      const row = await logRow(requestId);
      assert.equal(row.inputTokens, recorded.usageMetadata.promptTokenCount, 'logged input tokens');
      assert.equal(row.surface, 'gemini', 'surface recorded');
    });

    it('generateContentStream: recorded SSE chunks, finishReason on the last, alt=sse upstream', async () => {
      google.enqueue(geminiSseStep('gemini/vercel-ai/google-text.chunks.txt'));
      const stream = await ai.models.generateContentStream({ model: 'gemini-3-pro', contents: 'Hi' });
      let text = '';
      let last: JsonRecord | undefined;
      for await (const chunk of stream) {
        text += chunk.text ?? '';
        last = chunk as unknown as JsonRecord;
      }
      assert.ok(text.length > 20, 'streamed text');
      const lastCandidate = asRecord(asArray(last?.candidates, 'candidates')[0], 'candidate');
      assert.equal(lastCandidate.finishReason, 'STOP', 'finish reason on the last chunk');
      assert.equal(google.requests[0]?.path, '/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
    });

    it('function calling: the recorded functionCall with its thoughtSignature', async () => {
      google.enqueue(geminiJsonStep('gemini/vercel-ai/google-tool-call.json'));
      const response = await ai.models.generateContent({
        model: 'gemini-3-pro',
        contents: 'Weather in Paris?',
        config: {
          tools: [
            {
              functionDeclarations: [
                {
                  name: 'weather',
                  parameters: { type: Type.OBJECT, properties: { location: { type: Type.STRING } } },
                },
              ],
            },
          ],
        },
      });
      const call = response.functionCalls?.[0];
      assert.ok(call?.name, 'a function call');
      const tools = asArray(upstreamBody(google).tools, 'tools');
      assert.equal(tools.length, 1, 'tools passed through');
    });

    it('the JSON-array stream (no alt=sse): SSE upstream, one JSON array to the client', async () => {
      google.enqueue(geminiSseStep('gemini/vercel-ai/google-text.chunks.txt'));
      const response = await fetch(`${gateway.llmux.url}/v1beta/models/gemini-3-pro:streamGenerateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': gateway.llmux.apiKey },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] }),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/, 'JSON content type');
      const chunks = asArray(JSON.parse(await response.text()), 'array');
      const lines = readFileSync(new URL('gemini/vercel-ai/google-text.chunks.txt', FIXTURES), 'utf8')
        .trim()
        .split('\n');
      assert.deepEqual(
        chunks,
        lines.map((line) => JSON.parse(line)),
        'every recorded chunk, in order',
      );
    });
  });

  describe('translated to an OpenAI-compatible deployment', () => {
    it('generateContent: text, finish reason and usage in Gemini shapes; system and config mapped', async () => {
      local.enqueue(openAIAnswer('Hello there', { prompt_tokens: 11, completion_tokens: 4 }));
      const response = await ai.models.generateContent({
        model: 'local-model',
        contents: 'Say hello',
        config: { systemInstruction: 'Be brief.', maxOutputTokens: 50, topP: 0.5, stopSequences: ['END'] },
      });
      assert.equal(response.text, 'Hello there');
      assert.equal(response.candidates?.[0]?.finishReason, 'STOP');
      assert.deepEqual(
        [response.usageMetadata?.promptTokenCount, response.usageMetadata?.candidatesTokenCount],
        [11, 4],
        'usage',
      );
      const body = upstreamBody(local);
      assert.deepEqual(body.messages, [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ]);
      assert.equal(body.model, 'qwen-local');
      assert.deepEqual([body.max_tokens ?? body.max_completion_tokens, body.top_p, body.stop], [50, 0.5, ['END']]);
    });

    it('generateContentStream: text chunks, then finishReason and usageMetadata on the last chunk', async () => {
      local.enqueue({
        kind: 'sse-events',
        events: openAIStreamFrames(['Hel', 'lo'], { prompt_tokens: 7, completion_tokens: 2 }),
      });
      const stream = await ai.models.generateContentStream({ model: 'local-model', contents: 'Hi' });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      assert.equal(chunks.map((chunk) => chunk.text ?? '').join(''), 'Hello');
      const last = chunks.at(-1);
      assert.equal(last?.candidates?.[0]?.finishReason, 'STOP', 'finish reason on the last chunk');
      assert.equal(last?.usageMetadata?.promptTokenCount, 7, 'usage on the last chunk');
      assert.ok(
        chunks.slice(0, -1).every((chunk) => chunk.candidates?.[0]?.finishReason === undefined),
        'only the last finishes',
      );
    });

    it('function calling round trip: the call comes back with an id, the response is paired with it', async () => {
      local.enqueue({
        kind: 'sse-events',
        events: [
          openAIChunk({
            role: 'assistant',
            tool_calls: [{ index: 0, id: 'call_abc', type: 'function', function: { name: 'weather', arguments: '' } }],
          }),
          openAIChunk({ tool_calls: [{ index: 0, function: { arguments: '{"location":"Paris"}' } }] }),
          openAIChunk({}, 'tool_calls'),
          openAIUsageChunk({ prompt_tokens: 20, completion_tokens: 5 }),
          'data: [DONE]\n\n',
        ],
      });
      const tools = [
        {
          functionDeclarations: [
            { name: 'weather', parametersJsonSchema: { type: 'object', properties: { location: { type: 'string' } } } },
          ],
        },
      ];
      const config = { tools, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } } };
      const stream = await ai.models.generateContentStream({
        model: 'local-model',
        contents: 'Weather in Paris?',
        config,
      });
      const calls = [];
      for await (const chunk of stream) calls.push(...(chunk.functionCalls ?? []));
      assert.deepEqual(calls, [{ id: 'call_abc', name: 'weather', args: { location: 'Paris' } }]);
      const first = upstreamBody(local);
      assert.equal(first.tool_choice, 'required', 'ANY → required');
      assert.deepEqual(asRecord(asRecord(asArray(first.tools, 'tools')[0], 'tool').function, 'function').parameters, {
        type: 'object',
        properties: { location: { type: 'string' } },
      });

      local.enqueue(openAIAnswer('Sunny in Paris.'));
      const answer = await ai.models.generateContent({
        model: 'local-model',
        contents: [
          { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
          { role: 'model', parts: [{ functionCall: { name: 'weather', args: { location: 'Paris' } } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { output: 'sunny' } } }] },
        ],
        config: { tools },
      });
      assert.equal(answer.text, 'Sunny in Paris.');
      const messages = asArray(upstreamBody(local).messages, 'messages').map((m) => asRecord(m, 'message'));
      const assistant = messages[1];
      const toolCall = asRecord(asArray(assistant?.tool_calls, 'tool_calls')[0], 'tool call');
      assert.equal(messages[2]?.role, 'tool');
      assert.equal(messages[2]?.tool_call_id, toolCall.id, 'the response paired with the id made up for the call');
      assert.equal(messages[2]?.content, 'sunny', '{output} unwrapped');
    });

    it('JSON-array stream translated: one parseable array with the finish on its last element', async () => {
      local.enqueue({ kind: 'sse-events', events: openAIStreamFrames(['a', 'b']) });
      const response = await fetch(
        `${gateway.llmux.url}/v1beta/models/local-model:streamGenerateContent?key=${gateway.llmux.apiKey}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ contents: [{ parts: [{ text: 'Hi' }] }] }),
        },
      );
      assert.equal(response.status, 200, 'the key query parameter authenticates');
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const chunks = asArray(JSON.parse(await response.text()), 'array').map((c) => asRecord(c, 'chunk'));
      const lastCandidate = asRecord(asArray(chunks.at(-1)?.candidates, 'candidates')[0], 'candidate');
      assert.equal(lastCandidate.finishReason, 'STOP');
    });
  });
});
