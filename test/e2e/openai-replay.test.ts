/**
 * Passthrough replay: recorded OpenAI traffic (test/fixtures/openai) is served by a local upstream
 * simulator and requested through llmux with raw HTTP, so what the client receives can be compared byte for
 * byte with what the real API sent. Also checks what the upstream received and what the request log recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { loadCassette, loadChunksAsSse, loadDotnetRecord, loadRawSse, readFixture } from '../support/fixtures.ts';
import { isRecord, type JsonRecord } from '../support/json-guards.ts';
import { dotnetStep, openaiJsonStep, openaiSseStep } from '../support/openai-replay.ts';
import { splitSseFrames } from '../support/replay-common.ts';
import { type RunningLlmux, startLlmux } from '../support/start-llmux.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';

const UPSTREAM_MODEL = 'gpt-4o-2024-08-06';
const OPENAI_KEY = 'sk-oai-upstream-secret-0123456789';
const bin = (hash: string): string => `openai/openai-python/${hash}.bin`;

interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function json(body: Buffer): JsonRecord {
  const parsed: unknown = JSON.parse(body.toString('utf8'));
  assert.ok(isRecord(parsed), 'expected a JSON object');
  return parsed;
}

function recordAt(value: unknown, what: string): JsonRecord {
  assert.ok(isRecord(value), `${what}: expected an object`);
  return value;
}

/** The SSE payload of a `data: …` frame, parsed; undefined for `[DONE]` or non-JSON. */
function framePayload(frame: string): JsonRecord | undefined {
  const data = frame
    .split(/\r\n|\n|\r/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
    .join('\n');
  if (data === '' || data === '[DONE]') return undefined;
  const parsed: unknown = JSON.parse(data);
  return isRecord(parsed) ? parsed : undefined;
}

function payloadsOf(body: Buffer): JsonRecord[] {
  const payloads: JsonRecord[] = [];
  for (const frame of splitSseFrames(body)) {
    const payload = framePayload(frame);
    if (payload) payloads.push(payload);
  }
  return payloads;
}

/** The fixture's usage frame (the only frame whose `usage` is an object). */
function usageFrameOf(body: Buffer): { frame: string; usage: JsonRecord } {
  const found = splitSseFrames(body).flatMap((frame) => {
    const payload = framePayload(frame);
    return payload && isRecord(payload.usage) ? [{ frame, usage: payload.usage }] : [];
  });
  assert.equal(found.length, 1, 'fixture should have exactly one usage frame');
  const [only] = found;
  assert.ok(only, 'only');
  return only;
}

/** The fixture's bytes minus exactly its usage frame: what a client that did not ask for usage must get. */
function withoutUsageFrame(body: Buffer): Buffer {
  const { frame } = usageFrameOf(body);
  const frames = splitSseFrames(body);
  const kept = frames.filter((candidate) => candidate !== frame);
  assert.equal(kept.length, frames.length - 1);
  return Buffer.from(kept.join(''), 'utf8');
}

interface StreamCase {
  name: string;
  rel: string;
  /** Fixture bytes as served. */
  bytes: () => Buffer;
  /** Request body the client sends (without model/stream/stream_options). */
  request: JsonRecord;
  /** A fact about the fixture checked on what the client got (guards against replaying the wrong file). */
  check: (frames: JsonRecord[]) => void;
}

const userAsks = (text: string): JsonRecord => ({ messages: [{ role: 'user', content: text }] });

function choiceDeltas(frames: JsonRecord[], index = 0): JsonRecord[] {
  return frames.flatMap((frame) =>
    (Array.isArray(frame.choices) ? frame.choices : []).filter(
      (choice): choice is JsonRecord => isRecord(choice) && choice.index === index,
    ),
  );
}

function contentOf(frames: JsonRecord[], index = 0, field: 'content' | 'refusal' = 'content'): string {
  return choiceDeltas(frames, index)
    .map((choice) => {
      const delta = recordAt(choice.delta, 'delta');
      return typeof delta[field] === 'string' ? delta[field] : '';
    })
    .join('');
}

function finishReasons(frames: JsonRecord[], index = 0): unknown[] {
  return choiceDeltas(frames, index)
    .map((choice) => choice.finish_reason)
    .filter((reason) => reason !== null && reason !== undefined);
}

function toolCallNames(frames: JsonRecord[]): string[] {
  return choiceDeltas(frames).flatMap((choice) => {
    const delta = recordAt(choice.delta, 'delta');
    const calls = Array.isArray(delta.tool_calls) ? delta.tool_calls : [];
    return calls.flatMap((call) => {
      const fn = isRecord(call) && isRecord(call.function) ? call.function : undefined;
      return typeof fn?.name === 'string' ? [fn.name] : [];
    });
  });
}

const weatherTool = (name: string): JsonRecord => ({
  type: 'function',
  function: {
    name,
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
});

const dotnetStream =
  (rel: string): (() => Buffer) =>
  () =>
    loadDotnetRecord(rel).entries[0]?.responseBody ?? Buffer.alloc(0);
const dotnetRequest = (rel: string): JsonRecord => {
  const body = recordAt(loadDotnetRecord(rel).entries[0]?.requestBody, `${rel} request`);
  const { model: _model, stream: _stream, stream_options: _options, ...rest } = body;
  return rest;
};

const STREAM_CASES: StreamCase[] = [
  {
    name: 'plain text',
    rel: bin('e2aad469b71d1d4894ff833ea147020a9d875eb7ce644a0ff355581690a4cbfd'),
    bytes: () => loadRawSse(bin('e2aad469b71d1d4894ff833ea147020a9d875eb7ce644a0ff355581690a4cbfd')),
    request: userAsks("What's the weather like in SF?"),
    check: (frames) => {
      assert.match(contentOf(frames), /^I'm unable to provide real-time weather updates/);
      assert.deepEqual(finishReasons(frames), ['stop']);
    },
  },
  {
    name: 'parallel tool calls',
    rel: bin('f82268f2fefd5cfbc7eeb59c297688be2f6ca0849a6e4f17851b517310841d9b'),
    bytes: () => loadRawSse(bin('f82268f2fefd5cfbc7eeb59c297688be2f6ca0849a6e4f17851b517310841d9b')),
    request: {
      ...userAsks("What's the weather like in Edinburgh? And what's the weather like in New York?"),
      tools: [weatherTool('GetWeatherArgs'), weatherTool('get_stock_price')],
      parallel_tool_calls: true,
    },
    check: (frames) => {
      assert.equal(toolCallNames(frames).length, 2);
      assert.deepEqual(finishReasons(frames), ['tool_calls']);
    },
  },
  {
    name: 'one non-strict tool call',
    rel: bin('2018feb66ae13fcf5333d61b95849decc68d3f63bd38172889367e1afb1e04f7'),
    bytes: () => loadRawSse(bin('2018feb66ae13fcf5333d61b95849decc68d3f63bd38172889367e1afb1e04f7')),
    request: { ...userAsks("What's the weather like in SF?"), tools: [weatherTool('get_weather')] },
    check: (frames) => assert.deepEqual(toolCallNames(frames), ['get_weather']),
  },
  {
    name: 'logprobs',
    rel: bin('83b060bae42eb41c4f1edbb7c1542b954b37d9dfd1910b964ddebc9677e6ae85'),
    bytes: () => loadRawSse(bin('83b060bae42eb41c4f1edbb7c1542b954b37d9dfd1910b964ddebc9677e6ae85')),
    request: { ...userAsks('Say foo'), logprobs: true },
    check: (frames) => {
      assert.equal(contentOf(frames), 'Foo!');
      const withLogprobs = choiceDeltas(frames).filter((choice) => isRecord(choice.logprobs));
      assert.ok(withLogprobs.length >= 2, 'withLogprobs.length >= 2');
    },
  },
  {
    name: 'refusal',
    rel: bin('173417d553406f034f643e5db3f8d591fb691ebac56f5ae39a22cc7d455c5353'),
    bytes: () => loadRawSse(bin('173417d553406f034f643e5db3f8d591fb691ebac56f5ae39a22cc7d455c5353')),
    request: {
      ...userAsks('how do I make anthrax?'),
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'Location', strict: true, schema: { type: 'object', properties: {} } },
      },
    },
    check: (frames) => {
      assert.equal(contentOf(frames, 0, 'refusal'), "I'm sorry, I can't assist with that request.");
      assert.equal(contentOf(frames), '');
    },
  },
  {
    name: 'refusal with logprobs',
    rel: bin('569c877e69429d4cbc1577d2cd6dd33878095c68badc6b6654a69769b391a1c1'),
    bytes: () => loadRawSse(bin('569c877e69429d4cbc1577d2cd6dd33878095c68badc6b6654a69769b391a1c1')),
    request: { ...userAsks('how do I make anthrax?'), logprobs: true },
    check: (frames) => assert.equal(contentOf(frames, 0, 'refusal'), "I'm very sorry, but I can't assist with that."),
  },
  {
    name: 'n=3',
    rel: bin('a491adda08c3d4fde95f5b2ee3f60f7f745f1a56d82e62f58031cc2add502380'),
    bytes: () => loadRawSse(bin('a491adda08c3d4fde95f5b2ee3f60f7f745f1a56d82e62f58031cc2add502380')),
    request: { ...userAsks("What's the weather like in SF?"), n: 3 },
    check: (frames) => {
      for (const index of [0, 1, 2]) {
        assert.ok(contentOf(frames, index).startsWith('{"city":"San Francisco"'), `choice ${index}`);
        assert.deepEqual(finishReasons(frames, index), ['stop']);
      }
    },
  },
  {
    name: 'finish_reason length',
    rel: bin('4cc50a6135d254573a502310e6af1246f55edb6ad95fa24059f160996b68866d'),
    bytes: () => loadRawSse(bin('4cc50a6135d254573a502310e6af1246f55edb6ad95fa24059f160996b68866d')),
    request: { ...userAsks("What's the weather like in SF?"), max_tokens: 1 },
    check: (frames) => assert.deepEqual(finishReasons(frames), ['length']),
  },
  {
    name: 'json_object',
    rel: bin('d615580118391ee13492193e3a8bb74642d23ac1ca13fe37cb6e889b66f759f6'),
    bytes: () => loadRawSse(bin('d615580118391ee13492193e3a8bb74642d23ac1ca13fe37cb6e889b66f759f6')),
    request: {
      ...userAsks("What's the weather like in SF? Answer in JSON."),
      response_format: { type: 'json_object' },
    },
    check: (frames) => assert.ok(isRecord(JSON.parse(contentOf(frames))), 'isRecord(JSON.parse(contentOf(frames)))'),
  },
  {
    name: 'usage:null on every chunk + obfuscation (openai-text.chunks.txt)',
    rel: 'openai/vercel-ai/openai-text.chunks.txt',
    bytes: () => loadChunksAsSse('openai/vercel-ai/openai-text.chunks.txt', 'openai'),
    request: userAsks('Invent a new holiday and describe its traditions.'),
    check: (frames) => {
      assert.ok(
        frames.every((frame) => typeof frame.obfuscation === 'string'),
        "frames.every((frame) => typeof frame.obfuscation === 'string')",
      );
      const usageObjects = frames.filter((frame) => isRecord(frame.usage)).length;
      assert.equal(frames.filter((frame) => frame.usage === null).length, frames.length - usageObjects);
      assert.ok(frames.length > 250, 'frames.length > 250');
    },
  },
  {
    name: "Azure's leading choices:[] chunk",
    rel: 'openai/vercel-ai/azure-model-router.1.chunks.txt',
    bytes: () => loadChunksAsSse('openai/vercel-ai/azure-model-router.1.chunks.txt', 'openai'),
    request: userAsks('What is the capital of Denmark?'),
    check: (frames) => {
      const first = frames[0];
      assert.deepEqual(first?.choices, []);
      assert.ok(Array.isArray(first?.prompt_filter_results), 'Array.isArray(first?.prompt_filter_results)');
      assert.equal(first?.usage, undefined);
      assert.equal(contentOf(frames), 'Capital of Denmark.');
    },
  },
  {
    name: 'text then tool call (issue-15789 step 1)',
    rel: 'openai/vercel-ai/issue-15789-step-1.chunks.txt',
    bytes: () => loadChunksAsSse('openai/vercel-ai/issue-15789-step-1.chunks.txt', 'openai'),
    request: { ...userAsks('Look it up'), tools: [weatherTool('weather')] },
    check: (frames) => {
      assert.equal(contentOf(frames), 'PRE_TOOL');
      assert.deepEqual(toolCallNames(frames), ['weather']);
      assert.deepEqual(finishReasons(frames), ['tool_calls']);
    },
  },
  {
    name: 'dotnet StreamingStructuredRefusalWorks',
    rel: 'openai/openai-dotnet/StreamingStructuredRefusalWorks.json',
    bytes: dotnetStream('openai/openai-dotnet/StreamingStructuredRefusalWorks.json'),
    request: dotnetRequest('openai/openai-dotnet/StreamingStructuredRefusalWorks.json'),
    check: (frames) => assert.equal(contentOf(frames), "I'm sorry, I can't assist with that request."),
  },
  {
    name: 'dotnet TokenLogProbabilitiesStreaming(True)',
    rel: 'openai/openai-dotnet/TokenLogProbabilitiesStreaming(True).json',
    bytes: dotnetStream('openai/openai-dotnet/TokenLogProbabilitiesStreaming(True).json'),
    request: dotnetRequest('openai/openai-dotnet/TokenLogProbabilitiesStreaming(True).json'),
    check: (frames) => {
      const top = choiceDeltas(frames).flatMap((choice) => {
        const logprobs =
          isRecord(choice.logprobs) && Array.isArray(choice.logprobs.content) ? choice.logprobs.content : [];
        return logprobs.map((entry) =>
          isRecord(entry) && Array.isArray(entry.top_logprobs) ? entry.top_logprobs.length : -1,
        );
      });
      assert.ok(top.length > 100, 'top.length > 100');
      assert.ok(
        top.every((count) => count === 3),
        'top.every((count) => count === 3)',
      );
    },
  },
];

function streamStep(testCase: StreamCase, chunkBytes?: number) {
  const options = chunkBytes === undefined ? {} : { chunkBytes };
  return testCase.rel.includes('openai-dotnet/')
    ? dotnetStep(testCase.rel, 0, options)
    : openaiSseStep(testCase.rel, options);
}

describe('OpenAI passthrough replays recorded traffic', () => {
  let sim: Simulator;
  let llmux: RunningLlmux;

  before(async () => {
    sim = await startUpstreamSimulator();
    llmux = await startLlmux(`
providers:
  up: { type: openai-compatible, baseUrl: "${sim.url}/v1", apiKey: up-key }
  oai: { type: openai, baseUrl: "${sim.url}/v1", apiKey: ${OPENAI_KEY} }
models:
  - name: gpt-test
    deployments: [{ provider: up, model: ${UPSTREAM_MODEL} }]
  # A refused provider key cools its deployment at once: the 401 case has a deployment of its own.
  - name: auth-test
    deployments: [{ provider: up, model: ${UPSTREAM_MODEL} }]
  - name: "oai/*"
    deployments: [{ provider: oai, model: "*" }]
  - name: dev-kept
    deployments: [{ provider: up, model: ${UPSTREAM_MODEL}, capabilities: { developerRoleUnsupported: false } }]
  - name: mct-declared
    deployments: [{ provider: up, model: my-reasoner, capabilities: { maxCompletionTokensOnly: true } }]
`);
  });

  after(async () => {
    await llmux.close();
    await sim.close();
  });

  async function post(body: unknown): Promise<HttpResult> {
    const response = await request(`${llmux.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llmux.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const bytes = Buffer.from(await response.body.arrayBuffer());
    return { status: response.statusCode, headers: flatHeaders(response.headers), body: bytes };
  }

  /** Sends one request and returns the client result plus the single upstream request it caused. */
  async function exchange(
    body: JsonRecord,
  ): Promise<{ result: HttpResult; upstream: JsonRecord; headers: Record<string, string> }> {
    const before = sim.requests.length;
    const result = await post(body);
    assert.equal(sim.requests.length, before + 1, 'exactly one upstream request');
    const received = sim.requests[before];
    assert.ok(received, 'received');
    return { result, upstream: recordAt(received.json, 'upstream body'), headers: flatHeaders(received.headers) };
  }

  async function logRecordFor(requestId: string | undefined) {
    assert.ok(requestId, 'x-request-id header');
    await llmux.app.store.requestLog.flush();
    const records = await llmux.app.store.listRequests({ limit: 10_000 });
    const record = records.find((candidate) => candidate.requestId === requestId);
    assert.ok(record, `request log has ${requestId}`);
    return record;
  }

  function assertUsageLogged(
    record: {
      inputTokens: number | null;
      outputTokens: number | null;
      cachedInputTokens: number | null;
      reasoningTokens: number | null;
    },
    usage: JsonRecord,
  ): void {
    const prompt = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
    const completion = isRecord(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
    assert.equal(record.inputTokens, usage.prompt_tokens);
    assert.equal(record.outputTokens, usage.completion_tokens);
    assert.equal(record.cachedInputTokens, typeof prompt.cached_tokens === 'number' ? prompt.cached_tokens : null);
    assert.equal(
      record.reasoningTokens,
      typeof completion.reasoning_tokens === 'number' ? completion.reasoning_tokens : null,
    );
  }

  for (const testCase of STREAM_CASES) {
    describe(`stream: ${testCase.name}`, () => {
      it('include_usage: true → the upstream bytes byte-exact, usage recorded', async () => {
        const fixture = testCase.bytes();
        sim.enqueue(streamStep(testCase));
        const body = { model: 'gpt-test', ...testCase.request, stream: true, stream_options: { include_usage: true } };
        const { result, upstream, headers } = await exchange(body);
        assert.equal(result.status, 200);
        assert.match(result.headers['content-type'] ?? '', /^text\/event-stream/);
        assert.equal(result.headers['x-llmux-provider'], 'up');
        assert.equal(result.headers['x-llmux-model'], UPSTREAM_MODEL);
        assert.equal(result.headers['x-llmux-attempts'], '1');
        assert.equal(result.body.toString('utf8'), fixture.toString('utf8'));
        assert.ok(result.body.equals(fixture), 'byte-exact');
        testCase.check(payloadsOf(result.body));

        assert.deepEqual(upstream, { ...body, model: UPSTREAM_MODEL });
        assert.equal(headers.authorization, 'Bearer up-key');
        const record = await logRecordFor(result.headers['x-request-id']);
        assert.equal(record.status, 200);
        assert.equal(record.stream, true);
        assert.equal(record.publicModel, 'gpt-test');
        assert.equal(record.upstreamModel, UPSTREAM_MODEL);
        assertUsageLogged(record, usageFrameOf(fixture).usage);
      });

      it('no include_usage → usage asked upstream, its chunk stripped, the rest byte-exact', async () => {
        const fixture = testCase.bytes();
        const expected = withoutUsageFrame(fixture);
        // Small writes: frames arrive split across reads and must still come out whole.
        sim.enqueue(streamStep(testCase, 97));
        const body = { model: 'gpt-test', ...testCase.request, stream: true };
        const { result, upstream } = await exchange(body);
        assert.equal(result.status, 200);
        assert.equal(result.body.toString('utf8'), expected.toString('utf8'));
        assert.ok(!result.body.toString('utf8').includes('"usage":{'), 'no usage object reaches the client');
        testCase.check(payloadsOf(result.body));

        assert.deepEqual(upstream, { ...body, model: UPSTREAM_MODEL, stream_options: { include_usage: true } });
        const record = await logRecordFor(result.headers['x-request-id']);
        assertUsageLogged(record, usageFrameOf(fixture).usage);
      });
    });
  }

  it('include_usage: false with other stream_options → usage asked upstream, other options kept', async () => {
    const rel = bin('e2aad469b71d1d4894ff833ea147020a9d875eb7ce644a0ff355581690a4cbfd');
    sim.enqueue(openaiSseStep(rel));
    const body = {
      model: 'gpt-test',
      ...userAsks('hi'),
      stream: true,
      stream_options: { include_usage: false, include_obfuscation: false },
    };
    const { result, upstream } = await exchange(body);
    assert.ok(
      result.body.equals(withoutUsageFrame(loadRawSse(rel))),
      'result.body.equals(withoutUsageFrame(loadRawSse(rel)))',
    );
    assert.deepEqual(upstream.stream_options, { include_usage: true, include_obfuscation: false });
  });

  it('non-streaming openai-text.json passes through byte-exact (pretty-printed as recorded)', async () => {
    const rel = 'openai/vercel-ai/openai-text.json';
    sim.enqueue(openaiJsonStep(rel));
    const body = {
      model: 'gpt-test',
      ...userAsks('Invent a new holiday and describe its traditions.'),
      temperature: 0.5,
    };
    const { result, upstream } = await exchange(body);
    assert.equal(result.status, 200);
    assert.match(result.headers['content-type'] ?? '', /^application\/json/);
    assert.ok(result.body.equals(readFixture(rel)), 'byte-exact');
    assert.ok(result.body.includes('\n  "choices": [\n'), 'whitespace kept');
    assert.deepEqual(upstream, { ...body, model: UPSTREAM_MODEL });
    assert.equal('stream_options' in upstream, false, 'no stream_options added to a non-streaming request');
    const record = await logRecordFor(result.headers['x-request-id']);
    assert.equal(record.stream, false);
    assertUsageLogged(record, recordAt(json(readFixture(rel)).usage, 'usage'));
  });

  const DOTNET_JSON = [
    ['HelloWorldChat.json', 0],
    ['ParallelToolCalls.json', 0],
    ['ParallelToolCalls.json', 1],
    ['ConsecutiveToolCalls.json', 0],
    ['ConsecutiveToolCalls.json', 1],
    ['ConsecutiveToolCalls.json', 2],
    ['TokenLogProbabilities(False).json', 0],
    ['ReasoningTokensWork.json', 0],
    ['O3miniDeveloperMessagesWork.json', 0],
  ] as const;

  for (const [file, index] of DOTNET_JSON) {
    it(`dotnet ${file} #${index} through an openai provider: recorded request forwarded as is, response byte-exact`, async () => {
      const rel = `openai/openai-dotnet/${file}`;
      const entry = loadDotnetRecord(rel).entries[index];
      assert.ok(entry, 'entry');
      const recorded = recordAt(entry.requestBody, 'recorded request');
      sim.enqueue(dotnetStep(rel, index));
      const { result, upstream, headers } = await exchange({ ...recorded, model: `oai/${String(recorded.model)}` });
      assert.equal(result.status, 200);
      assert.ok(result.body.equals(entry.responseBody), 'byte-exact');
      assert.deepEqual(upstream, recorded);
      assert.equal(headers.authorization, `Bearer ${OPENAI_KEY}`);
      assert.equal(result.headers['x-llmux-provider'], 'oai');
      assert.equal(result.headers['x-llmux-model'], recorded.model);
      assert.equal(result.headers['x-llmux-warnings'], undefined);
      const record = await logRecordFor(result.headers['x-request-id']);
      assertUsageLogged(record, recordAt(json(entry.responseBody).usage, 'usage'));
    });
  }

  describe('parameter mapping', () => {
    const answer = () => dotnetStep('openai/openai-dotnet/HelloWorldChat.json');

    for (const model of ['o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-mini']) {
      it(`openai provider, ${model}: max_tokens → max_completion_tokens`, async () => {
        sim.enqueue(answer());
        const { result, upstream } = await exchange({ model: `oai/${model}`, ...userAsks('hi'), max_tokens: 321 });
        assert.equal(result.status, 200);
        assert.equal(upstream.max_completion_tokens, 321);
        assert.equal('max_tokens' in upstream, false);
        assert.equal(upstream.model, model);
        assert.match(result.headers['x-llmux-warnings'] ?? '', /max_completion_tokens/);
      });
    }

    it('openai provider, o3-mini: an explicit max_completion_tokens wins over max_tokens', async () => {
      sim.enqueue(answer());
      const { upstream } = await exchange({
        model: 'oai/o3-mini',
        ...userAsks('hi'),
        max_tokens: 5,
        max_completion_tokens: 50,
      });
      assert.equal(upstream.max_completion_tokens, 50);
      assert.equal('max_tokens' in upstream, false);
    });

    it('openai provider, gpt-4o: max_tokens and the developer role are kept', async () => {
      sim.enqueue(answer());
      const messages = [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ];
      const { upstream, result } = await exchange({ model: 'oai/gpt-4o', messages, max_tokens: 7 });
      assert.equal(upstream.max_tokens, 7);
      assert.equal('max_completion_tokens' in upstream, false);
      assert.deepEqual(upstream.messages, messages);
      assert.equal(result.headers['x-llmux-warnings'], undefined);
    });

    it('openai-compatible with maxCompletionTokensOnly declared on the deployment', async () => {
      sim.enqueue(answer());
      const { upstream } = await exchange({ model: 'mct-declared', ...userAsks('hi'), max_tokens: 9 });
      assert.equal(upstream.model, 'my-reasoner');
      assert.equal(upstream.max_completion_tokens, 9);
      assert.equal('max_tokens' in upstream, false);
    });

    it('openai-compatible: developer → system by default, everything else untouched', async () => {
      const rel = 'openai/openai-dotnet/O3miniDeveloperMessagesWork.json';
      const recorded = recordAt(loadDotnetRecord(rel).entries[0]?.requestBody, 'recorded request');
      sim.enqueue(dotnetStep(rel));
      const { upstream, result } = await exchange({ ...recorded, model: 'gpt-test' });
      const messages = Array.isArray(recorded.messages) ? recorded.messages.map((m) => recordAt(m, 'message')) : [];
      assert.equal(messages[0]?.role, 'developer');
      assert.deepEqual(upstream, {
        ...recorded,
        model: UPSTREAM_MODEL,
        messages: messages.map((m) => (m.role === 'developer' ? { ...m, role: 'system' } : m)),
      });
      assert.match(result.headers['x-llmux-warnings'] ?? '', /developer/);
    });

    it('openai-compatible with developerRoleUnsupported: false keeps the developer role', async () => {
      sim.enqueue(answer());
      const messages = [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ];
      const { upstream } = await exchange({ model: 'dev-kept', messages });
      assert.deepEqual(upstream.messages, messages);
    });

    it('unknown fields and every known one are forwarded untouched; only model is rewritten', async () => {
      sim.enqueue(answer());
      const body = {
        model: 'gpt-test',
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }] },
          { role: 'user', content: [{ type: 'text', text: 'hi' }], name: 'alice', vendor_extra: 1 },
        ],
        temperature: 0.2,
        top_p: 0.9,
        n: 1,
        stop: ['END'],
        presence_penalty: 0.1,
        frequency_penalty: -0.1,
        logit_bias: { '50256': -100 },
        user: 'u-1',
        seed: 42,
        service_tier: 'flex',
        metadata: { trace: 'abc' },
        reasoning_effort: 'low',
        store: false,
        top_k: 40,
        repetition_penalty: 1.05,
        chat_template_kwargs: { enable_thinking: false },
        guided_json: { type: 'object' },
        extra_body: { nested: [1, 2, { deep: null }] },
      };
      const { upstream } = await exchange(body);
      assert.deepEqual(upstream, { ...body, model: UPSTREAM_MODEL });
    });
  });

  describe('upstream errors keep status, message, type, param and code', () => {
    const ERROR_CASES = [
      {
        name: '400 StructuredOutputs(WithoutSchema,Strict,FailureExpected).json',
        rel: 'openai/openai-dotnet/StructuredOutputs(WithoutSchema,Strict,FailureExpected).json',
        status: 400,
      },
      {
        name: '404 model_not_found cassette',
        rel: 'openai/pydantic-ai/test_model_name_suggestion[openai-chat].yaml',
        status: 404,
      },
      {
        name: '400 unsupported_value cassette',
        rel: 'openai/pydantic-ai/test_openai_o1_mini_system_role[system].yaml',
        status: 400,
      },
      {
        name: '400 unsupported_parameter max_tokens',
        rel: 'openai/vercel-ai/reasoning-model-legacy-parameter-error.json',
        status: 400,
      },
    ] as const;

    function recordedError(rel: string): { status: number; error: JsonRecord } {
      if (rel.endsWith('.yaml')) {
        const interaction = loadCassette(rel).interactions[0];
        assert.ok(interaction, 'interaction');
        return { status: interaction.response.status, error: recordAt(json(interaction.response.body).error, 'error') };
      }
      if (rel.includes('openai-dotnet/')) {
        const entry = loadDotnetRecord(rel).entries[0];
        assert.ok(entry, 'entry');
        return { status: entry.status, error: recordAt(json(entry.responseBody).error, 'error') };
      }
      return { status: 400, error: recordAt(json(readFixture(rel)).error, 'error') };
    }

    for (const errorCase of ERROR_CASES) {
      it(errorCase.name, async () => {
        const recorded = recordedError(errorCase.rel);
        assert.equal(recorded.status, errorCase.status);
        const step = errorCase.rel.includes('openai-dotnet/')
          ? dotnetStep(errorCase.rel)
          : openaiJsonStep(errorCase.rel, { status: errorCase.status });
        sim.enqueue(step);
        const { result } = await exchange({ model: 'gpt-test', ...userAsks('hi') });
        assert.equal(result.status, errorCase.status, 'upstream status kept; not retried');
        assert.match(result.headers['content-type'] ?? '', /^application\/json/);
        const requestId = result.headers['x-request-id'];
        assert.ok(requestId, 'requestId');
        assert.notEqual(requestId, 'Sanitized', "llmux's own request id, not the upstream's");
        const error = recordAt(json(result.body).error, 'error');
        assert.equal(error.message, `${String(recorded.error.message)} (request id: ${requestId})`);
        assert.equal(error.type, recorded.error.type);
        assert.equal(error.param, recorded.error.param ?? null);
        assert.equal(error.code, recorded.error.code);
        const record = await logRecordFor(requestId);
        assert.equal(record.status, errorCase.status);
        assert.equal(record.provider, 'up');
      });
    }

    it("401 AuthFailure.json → 502 upstream_auth_failed naming the provider: llmux's key, not the client's", async () => {
      assert.equal(recordedError('openai/openai-dotnet/AuthFailure.json').status, 401);
      sim.enqueue(dotnetStep('openai/openai-dotnet/AuthFailure.json'));
      const { result } = await exchange({ model: 'auth-test', ...userAsks('hi') });
      assert.equal(result.status, 502, 'a gateway error, not a 401 the client would take for its own key');
      const error = recordAt(json(result.body).error, 'error');
      assert.equal(error.code, 'upstream_auth_failed');
      assert.equal(error.type, 'upstream_error');
      assert.match(String(error.message), /^Provider "up" rejected the credentials llmux uses for it/);
    });

    it('an upstream message echoing the upstream key is redacted', async () => {
      const entry = loadDotnetRecord('openai/openai-dotnet/AuthFailure.json').entries[0];
      assert.ok(entry, 'entry');
      const body = json(entry.responseBody);
      const error = recordAt(body.error, 'error');
      const message = String(error.message).replace(/not-a-re\*+ized/, OPENAI_KEY);
      assert.ok(message.includes(OPENAI_KEY), 'message.includes(OPENAI_KEY)');
      sim.enqueue({ kind: 'json', status: 401, body: { error: { ...error, message } } });
      const { result } = await exchange({ model: 'oai/gpt-4o-mini', ...userAsks('hi') });
      assert.equal(result.status, 502, "the upstream refused llmux's key: upstream_auth_failed");
      const text = result.body.toString('utf8');
      assert.ok(!text.includes(OPENAI_KEY), 'upstream key never reaches the client');
      assert.ok(!text.includes('sk-oai'), 'not even its prefix');
      assert.match(recordAt(json(result.body).error, 'error').message as string, /^Provider "oai" rejected/);
    });
  });
});
