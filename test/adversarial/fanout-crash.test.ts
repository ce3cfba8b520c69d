/**
 * Issue 12, item 1: `n ≥ 2` on Anthropic (`n > 8` on Gemini) fans out into parallel upstream
 * calls; one of them answering an HTTP error used to destroy its siblings' bodies with no 'error'
 * listener and take the whole process down (43 of 52 tries), with every request in flight. Replayed
 * here many times against a real process, with unrelated requests in flight meanwhile.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicAnswer, anthropicError, anthropicMessageStart, anthropicStream } from '../support/anthropic-steps.ts';
import { openAIAnswer } from '../support/openai-steps.ts';
import { delayed } from '../support/simulator-steps.ts';
import type { Simulator, Step } from '../support/upstream-simulator.ts';
import { type Exchange, expectRefused, expectSuccess } from './exchange.ts';
import { afterwards, useAdversarialLlmux, user } from './harness.ts';
import { anthropicStillStreaming, geminiAnswer, geminiError, geminiResponse, geminiStream } from './upstream-steps.ts';

const ROUNDS = 20;
/** 429 comes last: it rightly cools the deployment down, and later rounds would then not fan out. */
const STATUSES = [400, 500, 529] as const;
const LAST_STATUS = 429;

/**
 * What the other calls of a round answer: in full (the body sits unread in undici when the failing
 * call makes the fan-out discard it: the crash of the issue), or headers then silence.
 */
type Siblings = 'complete' | 'stalled';

function siblingStep(siblings: Siblings, stream: boolean, provider: 'anthropic' | 'gemini'): Step {
  if (siblings === 'complete') {
    if (provider === 'anthropic') return stream ? anthropicStream('sibling') : anthropicAnswer('sibling');
    return stream ? geminiStream('sibling') : geminiAnswer('sibling');
  }
  if (stream && provider === 'anthropic') return anthropicStillStreaming;
  if (stream)
    return {
      kind: 'sse-events',
      events: [`data: ${JSON.stringify(geminiResponse('partial'))}\r\n\r\n`],
      thenStallMs: 60_000,
    };
  const start = provider === 'anthropic' ? anthropicMessageStart().slice(0, 40) : '{"candidates":[';
  return { kind: 'sse-events', headers: { 'content-type': 'application/json' }, events: [start], thenStallMs: 60_000 };
}

interface Round {
  failure: Step;
  stream: boolean;
  siblings: Siblings;
}

/** Every upstream response the fan-out opened is over: siblings were released, not left open. */
async function allReleased(sim: Simulator): Promise<void> {
  for (let waited = 0; sim.inFlight() > 0 && waited < 5000; waited += 25) await sleep(25);
  assert.equal(sim.inFlight(), 0, 'every sibling upstream request was released');
}

describe('adversarial: fan-out with a failing upstream call (child process)', () => {
  const llmux = useAdversarialLlmux();

  /** A dropped connection most likely means the process died: say so, with its last words. */
  const assertAlive = async (exchanges: Exchange[]) => {
    if (exchanges.some((exchange) => exchange.status === 0)) await Promise.race([llmux().exit, sleep(1000)]);
    assert.ok(llmux().alive(), `llmux exited; stderr:\n${llmux().stderr().slice(-3000)}`);
  };

  /** The `failingIndex`-th upstream call of each round answers `failure` (after `delayMs`), the others stall. */
  const script = (sim: Simulator, path: string, rounds: Round[], provider: 'anthropic' | 'gemini') => {
    let round = 0;
    let seenInRound = 0;
    return {
      nextRound() {
        round += 1;
        seenInRound = 0;
      },
      install() {
        sim.route(path, () => {
          const current = rounds[round] ?? rounds[0];
          if (!current) throw new Error('no rounds');
          seenInRound += 1;
          return seenInRound === 2 ? current.failure : siblingStep(current.siblings, current.stream, provider);
        });
      },
    };
  };

  it('n=12 on Anthropic succeeds without a MaxListenersExceededWarning', async () => {
    for (const stream of [false, true]) {
      expectSuccess(
        await llmux().chat(`anthropic n=12 stream=${stream}`, { model: 'claude', n: 12, stream, messages: user }),
      );
    }
    await sleep(50);
    assert.doesNotMatch(llmux().stderr(), /MaxListenersExceededWarning/, 'no MaxListenersExceededWarning on stderr');
  });

  it(`n=3 on Anthropic, one call answering 400/500/529 (then 429), ${ROUNDS} rounds with requests in flight → error answers, process alive`, async () => {
    llmux().sims.compat.route('/v1/chat/completions', () => delayed(150, openAIAnswer('bystander')));
    const rounds = Array.from({ length: ROUNDS }, (_, i): Round => {
      const status = i === ROUNDS - 1 ? LAST_STATUS : (STATUSES[i % STATUSES.length] ?? 529);
      const error = anthropicError(status);
      // Most rounds fail at once; some after the siblings' bodies arrived.
      const failure = i % 5 === 4 ? delayed(40, error) : error;
      return { failure, stream: i % 2 === 1, siblings: i % 4 === 3 ? 'stalled' : 'complete' };
    });
    const scripted = script(llmux().sims.claude, '/v1/messages', rounds, 'anthropic');
    scripted.install();
    for (const [i, round] of rounds.entries()) {
      const [fanOut, bystander] = await Promise.all([
        llmux().chat(`anthropic n=3 round ${i} stream=${round.stream}`, {
          model: 'claude',
          n: 3,
          stream: round.stream,
          messages: user,
        }),
        llmux().chat(`bystander during round ${i}`, { model: 'compat', messages: user }),
      ]);
      await assertAlive([fanOut, bystander]);
      expectRefused(fanOut);
      expectSuccess(bystander);
      scripted.nextRound();
    }
    await allReleased(llmux().sims.claude);
  });

  it('n=12 on Gemini (two upstream calls), one answering 400/500 (then 429) → error answers, process alive', async () => {
    const rounds = Array.from(
      { length: 6 },
      (_, i): Round => ({
        failure: geminiError(i === 5 ? LAST_STATUS : i % 2 === 0 ? 500 : 400, 'simulated failure'),
        stream: i % 3 === 0,
        siblings: i === 2 ? 'stalled' : 'complete',
      }),
    );
    const scripted = script(llmux().sims.gem, '/v1beta/models/', rounds, 'gemini');
    scripted.install();
    for (const [i, round] of rounds.entries()) {
      const exchange = await llmux().chat(`gemini n=12 round ${i} stream=${round.stream}`, {
        model: 'gemini',
        n: 12,
        stream: round.stream,
        messages: user,
      });
      await assertAlive([exchange]);
      expectRefused(exchange);
      scripted.nextRound();
    }
    assert.ok(llmux().sims.gem.requests.length >= rounds.length * 2, 'n=12 on Gemini did fan out');
    await allReleased(llmux().sims.gem);
  });

  it('afterwards: alive, RSS near baseline, every request logged', () => afterwards(llmux()));
});
