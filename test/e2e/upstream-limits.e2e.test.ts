/**
 * Upstream bodies are read under caps (server.maxUpstreamResponseMb / maxUpstreamEventMb /
 * maxUpstreamErrorMb, lowered to 1 MB here): an upstream sending a line that never ends, or a
 * body larger than the cap, gets its connection cut once the cap is reached, and the client a 502
 * `upstream_response_too_large` (or an error event ending a stream already under way). Also: a
 * passthrough stream whose `data:` is not JSON is never forwarded as a 200.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import type { RunningLlmux } from '../support/start-llmux.ts';
import type { SimRequest, Simulator, Step } from '../support/upstream-simulator.ts';
import { chunkFrame } from './routing-support.ts';

const MB = 1024 * 1024;
/** 10 MB of one line with no end, written 64 KB at a time. */
const endlessLine = (prefix: string): Buffer => Buffer.concat([Buffer.from(prefix), Buffer.alloc(10 * MB, 0x61)]);
const trickled = (body: Buffer, extra: Partial<Extract<Step, { kind: 'sse' }>> = {}): Step => ({
  kind: 'sse',
  body,
  chunkBytes: 64 * 1024,
  chunkDelayMs: 2,
  ...extra,
});

interface ErrorBody {
  error?: { message?: string; type?: string; code?: string | null };
}

describe('upstream body caps and malformed streams', () => {
  let gateway: Gateway | undefined;
  let oai: Simulator;
  let claude: Simulator;
  let llmux: RunningLlmux;

  before(async () => {
    gateway = await startGateway({
      upstreams: { oai: 'openai-compatible', claude: { type: 'anthropic', apiKey: 'test-anthropic-key' } },
      config: `
server: { maxUpstreamResponseMb: 1, maxUpstreamEventMb: 1, maxUpstreamErrorMb: 1 }
router: { cooldown: { failures: 1000 } }
models:
  - name: gpt
    retry: { attempts: 1 }
    deployments: [{ provider: oai, model: gpt-test }]
  - name: claude
    retry: { attempts: 1 }
    deployments: [{ provider: claude, model: claude-test }]
`,
    });
    ({ llmux } = gateway);
    oai = simOf(gateway, 'oai');
    claude = simOf(gateway, 'claude');
  });

  afterEach(() => {
    oai.reset();
    claude.reset();
  });

  after(() => gateway?.close());

  const chat = (model: string, body: Record<string, unknown> = {}) =>
    fetch(`${llmux.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llmux.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...body }),
    });

  const assertTooLarge = async (response: Response) => {
    assert.equal(response.status, 502, 'an oversized upstream body is a 502');
    const body = (await response.json()) as ErrorBody;
    assert.equal(body.error?.code, 'upstream_response_too_large', `error code, got ${JSON.stringify(body)}`);
    assert.match(String(body.error?.message), /server\.maxUpstream/, 'the message names the setting');
  };

  /** llmux stopped reading: the upstream's connection was closed before it had written everything. */
  const assertCutOff = async (sim: Simulator) => {
    const request: SimRequest = await sim.waitForClose(0, 5000);
    assert.ok(request.closedEarly, 'the upstream connection was cut once the cap was reached');
  };

  it('passthrough stream: a line that never ends → 502 before anything reached the client, upstream cut', async () => {
    oai.enqueue(trickled(endlessLine('data: {"choices":"')));
    await assertTooLarge(await chat('gpt', { stream: true }));
    await assertCutOff(oai);
  });

  it('passthrough stream: an endless line after the stream started → the stream ends with an error event', async () => {
    const first = chunkFrame({ role: 'assistant', content: 'Hello' });
    oai.enqueue({ kind: 'sse-events', events: [first, endlessLine('data: {"x":"').toString('latin1')], delayMs: 50 });
    const response = await chat('gpt', { stream: true });
    assert.equal(response.status, 200, 'the stream had started');
    const text = await response.text();
    assert.ok(text.startsWith(first), 'the frames before are forwarded');
    assert.match(text, /"code":"upstream_response_too_large"/, `ends with an error event: ${text.slice(-300)}`);
    assert.ok(text.length < 64 * 1024, 'none of the oversized line is forwarded');
  });

  it('translated (Anthropic) stream: a line that never ends → 502, upstream cut', async () => {
    claude.enqueue(trickled(endlessLine('event: content_block_delta\ndata: {"text":"')));
    await assertTooLarge(await chat('claude', { stream: true }));
    await assertCutOff(claude);
  });

  it('non-stream passthrough: a body over the cap → 502, with or without content-length', async () => {
    const huge = Buffer.concat([Buffer.from('{"choices":[],"x":"'), Buffer.alloc(2 * MB, 0x62), Buffer.from('"}')]);
    oai.enqueue({ kind: 'json', body: huge });
    await assertTooLarge(await chat('gpt'));
    oai.reset();
    oai.enqueue(trickled(endlessLine('{"choices":[],"x":"'), { headers: { 'content-type': 'application/json' } }));
    await assertTooLarge(await chat('gpt'));
    await assertCutOff(oai);
  });

  it('non-stream translated (Anthropic): a body over the cap → 502, upstream cut', async () => {
    claude.enqueue(
      trickled(endlessLine('{"type":"message","content":[{"type":"text","text":"'), {
        headers: { 'content-type': 'application/json' },
      }),
    );
    await assertTooLarge(await chat('claude'));
    await assertCutOff(claude);
  });

  it('an error body over the cap: only its start is read, the upstream status is kept, upstream cut', async () => {
    oai.enqueue(
      trickled(endlessLine('{"error":{"message":"'), { status: 500, headers: { 'content-type': 'application/json' } }),
    );
    const response = await chat('gpt');
    assert.equal(response.status, 500, 'the upstream status reaches the client');
    const body = (await response.json()) as ErrorBody;
    assert.ok(body.error, `OpenAI error envelope, got ${JSON.stringify(body).slice(0, 300)}`);
    assert.ok(String(body.error.message).length < 4096, 'the message is not the whole body');
    await assertCutOff(oai);
  });

  it('passthrough stream: non-JSON data before anything was sent → 502 upstream_bad_response, not a 200', async () => {
    oai.enqueue({ kind: 'sse-events', events: [': keep-alive\n\n', 'data: this is not json\n\n', 'data: [DONE]\n\n'] });
    const response = await chat('gpt', { stream: true });
    assert.equal(response.status, 502, 'never a 200 carrying garbage');
    const body = (await response.json()) as ErrorBody;
    assert.equal(body.error?.code, 'upstream_bad_response', `error code, got ${JSON.stringify(body)}`);
  });

  it('passthrough stream: non-JSON data after the stream started → error event, the garbage not forwarded', async () => {
    const first = chunkFrame({ role: 'assistant', content: 'Hello' });
    oai.enqueue({
      kind: 'sse-events',
      events: [first, `${chunkFrame({ content: ' world' })}data: <html>oops</html>\n\n`, 'data: [DONE]\n\n'],
      delayMs: 50,
    });
    const response = await chat('gpt', { stream: true });
    assert.equal(response.status, 200, 'the stream had started');
    const text = await response.text();
    assert.ok(text.startsWith(first), 'the first frame is forwarded');
    assert.ok(text.includes(' world'), 'the good frame before the garbage (same chunk) is forwarded');
    assert.ok(!text.includes('<html>'), 'the garbage is not forwarded');
    assert.match(text, /"code":"upstream_bad_response"/, `ends with an error event: ${text}`);
    assert.ok(!text.includes('[DONE]'), 'no [DONE] after the error');
  });

  it('passthrough stream: comments, event lines, data with or without a space and [DONE] still pass', async () => {
    const frames = [
      ': OPENROUTER PROCESSING\n\n',
      chunkFrame({ role: 'assistant', content: 'a' }),
      `data:${chunkFrame({ content: 'b' }).slice('data: '.length)}`,
      'event: ping\n\n',
      chunkFrame({}, 'stop'),
      'data:[DONE]\n\n',
    ];
    oai.enqueue({ kind: 'sse-events', events: frames });
    const response = await chat('gpt', { stream: true });
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.ok(!text.includes('"error"'), `no error event: ${text}`);
    assert.ok(text.includes('[DONE]'), 'ends with [DONE]');
  });
});
