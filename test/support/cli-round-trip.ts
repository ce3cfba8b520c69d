/**
 * One headless prompt of a real CLI through llmux to a simulated upstream, with one tool call:
 * the upstream asks for the tool in turn 1 and answers with text in turn 2; the CLI must run the
 * tool on a file holding a fresh secret word, send its result back through llmux and print the
 * turn-2 text, and llmux must log both turns.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestLogRecord } from '../../src/store/types.ts';
import {
  type CliRun,
  type CliWorkspace,
  cliWorkspace,
  describeRun,
  type InstalledCli,
  runCli,
  type SinkProxy,
} from './cli-runner.ts';
import { type Gateway, simOf } from './gateway.ts';
import { asRecord } from './json-guards.ts';
import type { Step } from './simulator-steps.ts';
import { type ToolCall, TURN_USAGE, textTurn, toolCallTurn, toolResultsOf, type UpstreamApi } from './tool-turns.ts';

export interface RoundTrip {
  gateway: Gateway;
  cli: InstalledCli;
  sink: SinkProxy;
  /** The inbound API llmux logs for this CLI (`anthropic-messages`, `openai-responses`, `gemini`). */
  surface: string;
  /** The llmux model the CLI asks for: the catalogue entry's name (a wildcard entry's pattern). */
  model: string;
  /** The provider (and simulator) the model routes to, and the API llmux must speak to it. */
  provider: string;
  api: UpstreamApi;
  /** The deployment's model, which llmux must put in the upstream request. */
  upstreamModel: string;
  /** The tool call turn 1 asks for, given the workspace (it must read notes.txt). */
  call(workspace: CliWorkspace): ToolCall;
  /** The CLI's arguments for `prompt`. */
  args(prompt: string): string[];
  /** The CLI's environment. */
  env(workspace: CliWorkspace): Record<string, string>;
  /** The final answer in the CLI's output. */
  answerOf(run: CliRun): string;
  /**
   * Upstream calls besides the two turns (gemini-cli's model router), by path prefix, each answered
   * with its step and expected once.
   */
  sideCalls?: Array<{ path: string; step: Step }>;
  timeoutMs?: number;
}

const PROMPT = 'Read the file notes.txt in the current directory and tell me the secret word.';

/** Where each upstream API is called. */
const UPSTREAM_PATH: Record<UpstreamApi, RegExp> = {
  'anthropic-messages': /^\/v1\/messages(\?|$)/,
  'openai-chat': /^\/v1\/chat\/completions$/,
  'openai-responses': /^\/v1\/responses$/,
  gemini: /^\/v1beta\/models\/[^/:]+:streamGenerateContent\?alt=sse$/,
};

/** The request-log rows of `model` since `since`, once there are `count` (or after 5 s: what there is). */
async function logRows(gateway: Gateway, model: string, since: number, count: number): Promise<RequestLogRecord[]> {
  const store = gateway.llmux.app.store;
  // A client may hang up as soon as it has the last event, before llmux settles the request.
  for (let waited = 0; ; waited += 50) {
    await store.requestLog.flush();
    const rows = (await store.listRequests({ since, limit: 1000 })).filter((row) => row.publicModel === model);
    if (rows.length >= count || waited >= 5000) return rows;
    await sleep(50);
  }
}

/** Runs the round trip and asserts it end to end; returns the run for further checks. */
export async function assertToolRoundTrip(trip: RoundTrip): Promise<CliRun> {
  const secret = `PAPAYA-${randomBytes(3).toString('hex').toUpperCase()}`;
  const answer = `Turn two, from the ${trip.api} upstream: the secret word is ${secret}.`;
  const sim = simOf(trip.gateway, trip.provider);
  sim.reset();
  trip.sink.seen.length = 0;
  const workspace = cliWorkspace(secret);
  try {
    const call = trip.call(workspace);
    sim.enqueue(toolCallTurn(trip.api, call), textTurn(trip.api, answer));
    const sideCalls = trip.sideCalls ?? [];
    for (const side of sideCalls) sim.route(side.path, () => side.step);
    const isSide = (path: string) => sideCalls.some((side) => path.startsWith(side.path));
    const since = Date.now();
    const run = await runCli(trip.cli, {
      args: trip.args(PROMPT),
      cwd: workspace.project,
      env: trip.env(workspace),
      timeoutMs: trip.timeoutMs ?? 180_000,
    });
    const detail = (): string =>
      `${describeRun(run, trip.sink)}\n--- upstream requests: ${sim.requests.map((r) => r.path).join(', ')}`;

    assert.equal(run.timedOut, false, `${trip.cli.name} did not finish in time:\n${detail()}`);
    assert.equal(run.code, 0, `${trip.cli.name} exit code:\n${detail()}`);
    assert.ok(trip.answerOf(run).includes(answer), `the final answer is turn 2's text:\n${detail()}`);

    for (const side of sideCalls) {
      const calls = sim.requests.filter((request) => request.path.startsWith(side.path));
      assert.equal(calls.length, 1, `one call of ${side.path}:\n${detail()}`);
    }
    const turns = sim.requests.filter((request) => !isSide(request.path));
    assert.equal(turns.length, 2, `two upstream requests (one per turn):\n${detail()}`);
    assert.equal(sim.pendingSteps(), 0, 'both scripted turns were played');
    for (const request of turns) {
      assert.match(request.path, UPSTREAM_PATH[trip.api], `the upstream called at its ${trip.api} endpoint`);
      const model =
        trip.api === 'gemini' ? /\/models\/([^/:]+):/.exec(request.path)?.[1] : asRecord(request.json, 'body').model;
      assert.equal(model, trip.upstreamModel, "the deployment's model upstream");
    }
    const [first, second] = turns;
    assert.deepEqual(toolResultsOf(trip.api, first?.json), [], 'turn 1 carries no tool result');
    assert.ok(!first?.body.includes(secret), 'the secret is unknown before the tool ran');
    const results = toolResultsOf(trip.api, second?.json);
    const expectedId = trip.api === 'gemini' ? call.name : call.id;
    const result = results.find((r) => r.callId === expectedId);
    assert.ok(
      result,
      `turn 2 answers the call ${expectedId}: ${JSON.stringify(results).slice(0, 500)}\n${second?.body.slice(-3000)}`,
    );
    assert.ok(result.content.includes(secret), `the tool's output (the secret word) went upstream: ${result.content}`);

    const expectedRows = 2 + sideCalls.length;
    const rows = await logRows(trip.gateway, trip.model, since, expectedRows);
    assert.equal(
      rows.length,
      expectedRows,
      `${expectedRows} request-log rows for ${trip.model}: ${JSON.stringify(rows)}`,
    );
    for (const row of rows) {
      assert.equal(row.status, 200, `row ${row.requestId}: status`);
      assert.equal(row.surface, trip.surface, `row ${row.requestId}: surface`);
      assert.equal(row.provider, trip.provider, `row ${row.requestId}: provider`);
      assert.equal(row.errorCode, null, `row ${row.requestId}: no error`);
    }
    const turnRows = rows.filter((row) => row.upstreamModel === trip.upstreamModel);
    assert.equal(turnRows.length, 2, `two rows with the upstream model ${trip.upstreamModel}: ${JSON.stringify(rows)}`);
    for (const row of turnRows) {
      assert.equal(row.stream, true, `row ${row.requestId}: streamed`);
      assert.deepEqual(
        [row.inputTokens, row.outputTokens, row.usageEstimated],
        [TURN_USAGE.input, TURN_USAGE.output, false],
        `row ${row.requestId}: the upstream's usage`,
      );
    }
    return run;
  } finally {
    workspace.remove();
  }
}
