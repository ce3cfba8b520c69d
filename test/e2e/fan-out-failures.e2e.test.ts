/**
 * A request with n > 1 to Anthropic fans out into n parallel upstream requests. When one of them
 * fails (an HTTP error, or later, mid-body), the others must be released without crashing the
 * process (an undici body destroyed with no 'error' listener used to throw an unhandled 'error'),
 * and the client gets the error in the OpenAI envelope.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAnthropicLlmux } from '../support/anthropic-llmux.ts';
import {
  anthropicAnswer,
  anthropicBlockStart,
  anthropicDelta,
  anthropicError,
  anthropicErrorEvent,
  anthropicMessageStart,
  anthropicStream,
} from '../support/anthropic-steps.ts';
import type { RunningLlmux } from '../support/start-llmux.ts';
import type { SimRequest, Simulator, Step } from '../support/upstream-simulator.ts';

/** Headers and a first event, then silence until the client leaves. */
const stillStreaming: Step = {
  kind: 'sse-events',
  events: [anthropicMessageStart(), anthropicBlockStart],
  thenStallMs: 60_000,
};
/** A whole answer, already received in full when the failing sibling's status is known. */
const completeAnswer = (stream: boolean): Step => (stream ? anthropicStream('done') : anthropicAnswer('done'));
const overloaded = anthropicError(529, 'Overloaded');

describe('fan-out (n > 1 on Anthropic): one failing upstream request', () => {
  let sim: Simulator;
  let llmux: RunningLlmux;

  before(async () => {
    ({ sim, llmux } = await startAnthropicLlmux(`
  - name: claude
    retry: { attempts: 1 }
    deployments: [{ provider: claude, model: claude-test }]
`));
  });

  // node:test would also fail the file on an uncaught exception, but blame a hook: this names the test.
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => {
    uncaught.push(error);
  };
  before(() => {
    process.on('uncaughtExceptionMonitor', onUncaught);
  });
  after(() => {
    process.off('uncaughtExceptionMonitor', onUncaught);
  });

  afterEach(async () => {
    await sleep(50); // an 'error' event nobody listens to surfaces a tick or two after the discard
    sim.reset();
    assert.deepEqual(uncaught.splice(0).map(String), [], 'no uncaught exception in llmux');
  });

  after(async () => {
    await llmux.close();
    await sim.close();
  });

  /** The second request to arrive gets `failing`, the others `others`. */
  const script = (failing: Step, others: Step) => {
    let seen = 0;
    sim.route('/v1/messages', () => (seen++ === 1 ? failing : others));
  };

  const chat = (body: Record<string, unknown>) =>
    fetch(`${llmux.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${llmux.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude', messages: [{ role: 'user', content: 'hi' }], ...body }),
    });

  /** Every upstream response is over (the siblings were released, not left streaming). */
  const allUpstreamClosed = async (count: number): Promise<SimRequest[]> => {
    const requests = await sim.waitForRequests(count, 5000);
    for (let index = 0; index < count; index++) await sim.waitForClose(index, 5000);
    return requests;
  };

  const assertStillServing = async () => {
    sim.route('/v1/messages', () => anthropicStream('ok'));
    const response = await chat({ stream: true });
    assert.equal(response.status, 200, 'llmux still answers after the failed fan-out');
    assert.match(await response.text(), /\[DONE\]/, 'the follow-up stream completes');
  };

  for (const [stream, siblings] of [
    [false, 'answered in full'],
    [true, 'answered in full'],
    [false, 'still streaming'],
    [true, 'still streaming'],
  ] as const) {
    it(`n=3, stream=${stream}: a 529 while the siblings are ${siblings} → 529 in the OpenAI envelope, siblings released`, async () => {
      script(overloaded, siblings === 'still streaming' ? stillStreaming : completeAnswer(stream));
      const response = await chat({ n: 3, stream });
      assert.equal(response.status, 529, 'the upstream status reaches the client');
      const body = (await response.json()) as { error?: { message?: string; type?: string; code?: unknown } };
      assert.ok(body.error, `OpenAI error envelope, got ${JSON.stringify(body)}`);
      assert.match(String(body.error.message), /Overloaded/, 'the upstream message is kept');
      await allUpstreamClosed(3);
      sim.reset();
      await assertStillServing();
    });
  }

  it('n=3 non-stream: one body is cut mid-read → 502 upstream_bad_response, siblings released', async () => {
    script(
      { kind: 'sse-events', events: [anthropicMessageStart()], delayMs: 0, thenStallMs: 50, thenError: 'reset' },
      stillStreaming,
    );
    const response = await chat({ n: 3 });
    assert.equal(response.status, 502, 'a body cut mid-read is a bad upstream response');
    const body = (await response.json()) as { error?: { code?: string } };
    assert.equal(body.error?.code, 'upstream_bad_response', `error code, got ${JSON.stringify(body)}`);
    await allUpstreamClosed(3);
    sim.reset();
    await assertStillServing();
  });

  it('n=3 stream: one stream fails after bytes reached the client → error event, siblings released', async () => {
    let seen = 0;
    sim.route('/v1/messages', () =>
      seen++ === 1
        ? {
            kind: 'sse-events',
            events: [anthropicMessageStart(), anthropicBlockStart, anthropicDelta('partial'), anthropicErrorEvent()],
            delayMs: 100,
          }
        : stillStreaming,
    );
    const startedAt = performance.now();
    const response = await chat({ n: 3, stream: true });
    assert.equal(response.status, 200, 'the stream had started');
    const text = await response.text();
    const tookMs = performance.now() - startedAt;
    assert.ok(
      tookMs < 5000,
      `the stream ends at once, not when the silent siblings time out (${Math.round(tookMs)} ms)`,
    );
    assert.match(text, /"error"/, `the stream ends with an error event, got ${text}`);
    assert.match(text, /Overloaded/, 'the error event carries the upstream message');
    await allUpstreamClosed(3);
    sim.reset();
    await assertStillServing();
  });

  it('n=12 adds no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => {
      if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning);
    };
    process.on('warning', onWarning);
    try {
      sim.route('/v1/messages', (req) => completeAnswer((req.json as { stream?: boolean }).stream === true));
      for (const stream of [false, true]) {
        const response = await chat({ n: 12, stream });
        assert.equal(response.status, 200, `n=12 stream=${stream} is served`);
        await response.text();
      }
      await sleep(20); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(
      warnings.map((warning) => warning.message),
      [],
      'no MaxListenersExceededWarning',
    );
  });
});
