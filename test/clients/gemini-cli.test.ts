/**
 * The real gemini-cli (`gemini -p`, Gemini generateContent) through llmux, headless and offline:
 * one tool call (read_file of notes.txt) with `-m` to a Gemini deployment (passthrough) and to an
 * Anthropic and an OpenAI-compatible one (translated), and without `-m` (its model router's call
 * first) to a `gemini-*` Gemini deployment. Skips, saying why, when scripts/install-clis.sh could
 * not install it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertToolRoundTrip, type RoundTrip } from '../support/cli-round-trip.ts';
import { type CliWorkspace, cliBaseEnv, findCli, type SinkProxy, startSinkProxy } from '../support/cli-runner.ts';
import { readFixture } from '../support/fixture-paths.ts';
import { type Gateway, startGateway } from '../support/gateway.ts';
import { asRecord, asString, isRecord } from '../support/json-guards.ts';
import type { Step } from '../support/simulator-steps.ts';
import type { UpstreamApi } from '../support/tool-turns.ts';

const found = findCli('gemini-cli');

const MODELS = `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: gemini-2.5-flash
    deployments: [{ provider: gem, model: gemini-2.5-flash-001 }]
  - name: gemini-on-claude
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
  - name: gemini-on-local
    deployments: [{ provider: local, model: qwen-local, capabilities: { dropUnsupported: true } }]
  - name: "gemini-*"
    deployments: [{ provider: gem, model: "gemini-*" }]
`;

const CASES: Array<{ model: string; provider: string; upstreamModel: string; api: UpstreamApi; how: string }> = [
  {
    model: 'gemini-2.5-flash',
    provider: 'gem',
    upstreamModel: 'gemini-2.5-flash-001',
    api: 'gemini',
    how: 'Gemini deployment, passthrough',
  },
  {
    model: 'gemini-on-claude',
    provider: 'claude',
    upstreamModel: 'claude-sonnet-4-5',
    api: 'anthropic-messages',
    how: 'Anthropic deployment, translated',
  },
  {
    model: 'gemini-on-local',
    provider: 'local',
    upstreamModel: 'qwen-local',
    api: 'openai-chat',
    how: 'OpenAI-compatible deployment (dropUnsupported: gemini-cli always sends topK), translated',
  },
];

/**
 * `~/.gemini/settings.json`: with GOOGLE_GEMINI_BASE_URL set, 0.61 picks the `gateway` auth type,
 * which headless mode refuses, unless the API-key auth is pinned; no usage statistics (no telemetry
 * traffic); two attempts at most, so that an error does not sit through ten backoffs.
 */
function writeGeminiSettings(workspace: CliWorkspace): void {
  const dir = join(workspace.home, '.gemini');
  mkdirSync(dir, { recursive: true });
  const settings = {
    security: { auth: { selectedType: 'gemini-api-key' } },
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: { maxAttempts: 2 },
  };
  writeFileSync(join(dir, 'settings.json'), `${JSON.stringify(settings)}\n`);
}

/** `--output-format json` prints one object; its `response` is the final answer. */
function responseOf(stdout: string): string {
  try {
    const parsed: unknown = JSON.parse(stdout);
    return isRecord(parsed) && typeof parsed.response === 'string' ? parsed.response : '';
  } catch {
    return '';
  }
}

/**
 * Without `-m`, gemini-cli first asks a small model to rate the prompt (a non-streamed JSON-mode
 * generateContent), then runs the turns on the model it picks: with this recorded rating (complexity 1),
 * `gemini-3.8-flash`. A `gemini-*` catalogue entry catches both names.
 */
const ROUTER_PATH = '/v1beta/models/gemini-3.5-flash-lite:generateContent';
const DEFAULT_TURN_MODEL = 'gemini-3.8-flash';

function recordedRouterAnswer(): Step {
  const [router] = readFixture('clients/gemini-cli/runs/02-tool-read_file.requests.jsonl').toString('utf8').split('\n');
  const recorded = asRecord(JSON.parse(router ?? ''), 'recorded router call');
  assert.equal(recorded.path, ROUTER_PATH, 'the recorded router call');
  return { kind: 'json', body: Buffer.from(asString(asRecord(recorded.response, 'response').body, 'router answer')) };
}

/** A gemini-cli run through `gateway`: `-m model` when `pickModel`, else the model its router picks. */
function geminiTrip(
  gateway: Gateway,
  sink: SinkProxy,
  target: Pick<RoundTrip, 'model' | 'provider' | 'upstreamModel' | 'api' | 'sideCalls'>,
  pickModel: boolean,
): RoundTrip {
  const cli = found.cli;
  assert.ok(cli, 'installed');
  return {
    ...target,
    gateway,
    cli,
    sink,
    surface: 'gemini',
    call: (workspace) => ({
      id: 'toolu_sim_1',
      name: 'read_file',
      args: { file_path: join(workspace.project, 'notes.txt') },
    }),
    args: (prompt) => [
      '-p',
      prompt,
      '--skip-trust',
      '--output-format',
      'json',
      ...(pickModel ? ['-m', target.model] : []),
    ],
    env: (workspace) => {
      writeGeminiSettings(workspace);
      return {
        ...cliBaseEnv(workspace.home, sink),
        GEMINI_API_KEY: gateway.llmux.apiKey,
        GOOGLE_GEMINI_BASE_URL: gateway.llmux.url,
      };
    },
    answerOf: (run) => responseOf(run.stdout),
  };
}

describe(`gemini-cli ${found.cli?.version ?? '(not installed)'} → llmux`, { skip: found.skip ?? false }, () => {
  let gateway: Gateway;
  let sink: SinkProxy;

  before(async () => {
    sink = await startSinkProxy();
    gateway = await startGateway({
      upstreams: { gem: { type: 'gemini', apiKey: 'upstream-key' }, claude: 'anthropic', local: 'openai-compatible' },
      config: MODELS,
    });
  });
  after(async () => {
    await gateway?.close();
    await sink?.close();
  });

  for (const { model, provider, upstreamModel, api, how } of CASES) {
    it(`gemini -p -m ${model}: read_file round trip (${how})`, async () => {
      const run = await assertToolRoundTrip(geminiTrip(gateway, sink, { model, provider, upstreamModel, api }, true));
      assert.doesNotMatch(run.stdout, /"error"/, 'gemini-cli reports no error');
    });
  }

  it(`gemini -p (default model: router call, then ${DEFAULT_TURN_MODEL}): read_file round trip (Gemini deployment "gemini-*", passthrough)`, async () => {
    const trip = geminiTrip(
      gateway,
      sink,
      {
        model: 'gemini-*',
        provider: 'gem',
        upstreamModel: DEFAULT_TURN_MODEL,
        api: 'gemini',
        sideCalls: [{ path: ROUTER_PATH, step: recordedRouterAnswer() }],
      },
      false,
    );
    const run = await assertToolRoundTrip(trip);
    assert.doesNotMatch(run.stdout, /"error"/, 'gemini-cli reports no error');
  });
});
