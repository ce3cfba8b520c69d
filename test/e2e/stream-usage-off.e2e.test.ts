/**
 * `capabilities.streamUsage: false` (servers that reject `stream_options`): the upstream never sees
 * `stream_options`, and the client still gets a complete stream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { openAIChunk } from '../support/openai-steps.ts';
import { type RunningLlmux, startLlmux } from '../support/start-llmux.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';

describe('streamUsage: false', () => {
  let sim: Simulator;
  let llmux: RunningLlmux;
  let client: OpenAI;

  before(async () => {
    sim = await startUpstreamSimulator();
    llmux = await startLlmux(`
providers:
  strict: { type: openai-compatible, baseUrl: "${sim.url}/v1", capabilities: { streamUsage: false } }
models:
  - name: strict-model
    deployments: [{ provider: strict, model: up-model }]
`);
    client = new OpenAI({ baseURL: llmux.baseURL, apiKey: llmux.apiKey, maxRetries: 0, timeout: 15_000 });
  });
  after(async () => {
    await llmux?.close();
    await sim?.close();
  });

  it('the upstream sees no stream_options; the client gets the whole stream', async () => {
    // What a server that takes no stream_options sends: no usage chunk.
    sim.enqueue({
      kind: 'sse-events',
      events: [
        openAIChunk({ role: 'assistant', content: 'Hello' }),
        openAIChunk({ content: ' there' }),
        openAIChunk({}, 'stop'),
        'data: [DONE]\n\n',
      ],
    });
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'strict-model',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let content = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(content, 'Hello there');
    assert.equal(finish, 'stop');
    const [upstream] = await sim.waitForRequests(1);
    const body = upstream?.json as Record<string, unknown>;
    assert.equal(body.stream, true);
    assert.equal(body.model, 'up-model');
    assert.equal('stream_options' in body, false, JSON.stringify(body));
    assert.match(response.headers.get('x-llmux-warnings') ?? '', /stream_options not sent/);
  });
});
