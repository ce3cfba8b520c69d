/**
 * End to end: `parallel_tool_calls: false` on Gemini, which has no such switch. A Gemini stand-in
 * answers two function calls; the openai SDK must get the first only, and the warning.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type OpenAI from 'openai';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { collectChunks, deltas } from '../support/sdk-helpers.ts';
import type { Step } from '../support/upstream-simulator.ts';

const tools: OpenAI.Chat.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];
const call = (city: string) => ({ functionCall: { name: 'weather', args: { city } } });
const response = (parts: unknown[], finishReason?: string) => ({
  candidates: [{ content: { role: 'model', parts }, index: 0, ...(finishReason ? { finishReason } : {}) }],
  usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 8, totalTokenCount: 18 },
  modelVersion: 'gemini-2.5-flash',
  responseId: 'resp_2calls',
});
const twoCalls: Step = { kind: 'json', body: response([call('Paris'), call('Rome')], 'STOP') };
/** The second call arrives in an event of its own, after the first went out. */
const twoCallsStreamed: Step = {
  kind: 'sse-events',
  events: [
    `data: ${JSON.stringify(response([call('Paris')]))}\r\n\r\n`,
    `data: ${JSON.stringify(response([call('Rome')], 'STOP'))}\r\n\r\n`,
  ],
};
const WARNING = 'parallel_tool_calls=false: Gemini has no such switch; only the first function call is kept';

describe('parallel_tool_calls: false on Gemini', () => {
  let gateway: Gateway | undefined;
  let client: OpenAI;

  before(async () => {
    gateway = await startGateway({
      upstreams: { google: 'gemini' },
      config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: gemini
    deployments: [{ provider: google, model: gemini-2.5-flash }]
`,
    });
    client = gateway.client;
  });
  after(() => gateway?.close());
  afterEach(() => gateway && simOf(gateway, 'google').reset());

  const request = {
    model: 'gemini',
    messages: [{ role: 'user' as const, content: 'Weather in Paris and Rome?' }],
    tools,
    parallel_tool_calls: false,
  };

  it('not streamed: the first call only, and the warning', async () => {
    assert.ok(gateway, 'gateway started');
    simOf(gateway, 'google').enqueue(twoCalls);
    const { data, response: http } = await client.chat.completions.create(request).withResponse();
    const calls = data.choices[0]?.message.tool_calls ?? [];
    assert.equal(calls.length, 1, 'one tool call reaches the client');
    const first = calls[0];
    assert.ok(first?.type === 'function', 'a function call');
    assert.deepEqual(JSON.parse(first.function.arguments), { city: 'Paris' }, 'the first one');
    assert.equal(data.choices[0]?.finish_reason, 'tool_calls', 'finish reason tool_calls');
    assert.ok(
      http.headers.get('x-llmux-warnings')?.includes(WARNING),
      'the warning says calls after the first are dropped',
    );
  });

  it('streamed: the first call only, and the warning', async () => {
    assert.ok(gateway, 'gateway started');
    simOf(gateway, 'google').enqueue(twoCallsStreamed);
    const { data: stream, response: http } = await client.chat.completions
      .create({ ...request, stream: true })
      .withResponse();
    const chunks = await collectChunks(stream);
    const toolDeltas = deltas(chunks).flatMap((delta) => delta.tool_calls ?? []);
    assert.deepEqual([...new Set(toolDeltas.map((delta) => delta.index))], [0], 'only tool call index 0 is streamed');
    const args = toolDeltas.map((delta) => delta.function?.arguments ?? '').join('');
    assert.deepEqual(JSON.parse(args), { city: 'Paris' }, 'the first call');
    assert.ok(
      http.headers.get('x-llmux-warnings')?.includes(WARNING),
      'the warning says calls after the first are dropped',
    );
  });

  it('without parallel_tool_calls: false, both calls come through and nothing is said', async () => {
    assert.ok(gateway, 'gateway started');
    simOf(gateway, 'google').enqueue(twoCalls);
    const { data, response: http } = await client.chat.completions
      .create({ ...request, parallel_tool_calls: true })
      .withResponse();
    assert.equal(data.choices[0]?.message.tool_calls?.length, 2, 'both calls');
    assert.equal(http.headers.get('x-llmux-warnings'), null, 'no warning');
  });
});
