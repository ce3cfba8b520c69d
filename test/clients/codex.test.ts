/**
 * The real Codex CLI (`codex exec`, OpenAI Responses) through llmux, headless and offline, with
 * llmux as a `[model_providers.llmux]` (`wire_api = "responses"`) and `-m <llmux model>`: one tool
 * call (exec_command `cat notes.txt`) to an Anthropic, an OpenAI-compatible and a Gemini deployment
 * (translated to their APIs), and to an OpenAI one (the Responses body passed through); and
 * without `-m` (Codex's own default model: the "responses-lite" shape, code mode) to all three.
 * Skips, saying why, when scripts/install-clis.sh could not install it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertToolRoundTrip, type RoundTrip } from '../support/cli-round-trip.ts';
import { type CliWorkspace, cliBaseEnv, findCli, type SinkProxy, startSinkProxy } from '../support/cli-runner.ts';
import { type Gateway, startGateway, type UpstreamType } from '../support/gateway.ts';
import type { UpstreamApi } from '../support/tool-turns.ts';

const found = findCli('codex');

const MODELS = `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: codex-claude
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
  - name: codex-local
    deployments: [{ provider: local, model: qwen-local }]
  - name: codex-openai
    deployments: [{ provider: oai, model: gpt-5-codex }]
  - name: codex-gemini
    deployments: [{ provider: gem, model: gemini-2.5-flash }]
`;

const CASES: Array<{ model: string; provider: string; upstreamModel: string; api: UpstreamApi; how: string }> = [
  {
    model: 'codex-claude',
    provider: 'claude',
    upstreamModel: 'claude-sonnet-4-5',
    api: 'anthropic-messages',
    how: 'Anthropic deployment, translated',
  },
  {
    model: 'codex-local',
    provider: 'local',
    upstreamModel: 'qwen-local',
    api: 'openai-chat',
    how: 'OpenAI-compatible deployment, translated',
  },
  {
    model: 'codex-openai',
    provider: 'oai',
    upstreamModel: 'gpt-5-codex',
    api: 'openai-responses',
    how: 'OpenAI deployment, passthrough',
  },
  {
    model: 'codex-gemini',
    provider: 'gem',
    upstreamModel: 'gemini-2.5-flash',
    api: 'gemini',
    how: 'Gemini deployment, translated',
  },
];

/** `$CODEX_HOME/config.toml`: llmux as the model provider; no retries, so that an error shows at once. */
function writeCodexConfig(workspace: CliWorkspace, llmuxUrl: string): string {
  const codexHome = join(workspace.home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(
    join(codexHome, 'config.toml'),
    `model_provider = "llmux"
check_for_update_on_startup = false

[analytics]
enabled = false

[model_providers.llmux]
name = "llmux"
base_url = "${llmuxUrl}/v1"
env_key = "LLMUX_API_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
`,
  );
  return codexHome;
}

/** A Codex run through `gateway`: `-m model` when given, else Codex's default (catalogue) model. */
function codexTrip(
  gateway: Gateway,
  sink: SinkProxy,
  target: Omit<RoundTrip, 'gateway' | 'cli' | 'sink' | 'surface' | 'args' | 'env' | 'answerOf'>,
  pickModel: boolean,
): RoundTrip {
  const cli = found.cli;
  assert.ok(cli, 'installed');
  return {
    ...target,
    gateway,
    cli,
    sink,
    surface: 'openai-responses',
    args: (prompt) => ['exec', '--skip-git-repo-check', ...(pickModel ? ['-m', target.model] : []), prompt],
    env: (workspace) => ({
      ...cliBaseEnv(workspace.home, sink),
      CODEX_HOME: writeCodexConfig(workspace, gateway.llmux.url),
      LLMUX_API_KEY: gateway.llmux.apiKey,
    }),
    // The final answer alone goes to stdout; the transcript goes to stderr.
    answerOf: (run) => run.stdout,
  };
}

describe(`Codex ${found.cli?.version ?? '(not installed)'} → llmux`, { skip: found.skip ?? false }, () => {
  let gateway: Gateway;
  let sink: SinkProxy;

  before(async () => {
    sink = await startSinkProxy();
    gateway = await startGateway({
      upstreams: { claude: 'anthropic', local: 'openai-compatible', oai: 'openai', gem: 'gemini' },
      config: MODELS,
    });
  });
  after(async () => {
    await gateway?.close();
    await sink?.close();
  });

  for (const { model, provider, upstreamModel, api, how } of CASES) {
    it(`codex exec -m ${model}: exec_command round trip (${how})`, async () => {
      const call = { id: 'call_sim_1', name: 'exec_command', args: { cmd: 'cat notes.txt' } };
      await assertToolRoundTrip(
        codexTrip(gateway, sink, { model, provider, upstreamModel, api, call: () => call }, true),
      );
    });
  }

  /**
   * Without `-m`, Codex asks for its default model, one of its own catalogue, in the "responses-lite"
   * shape: tools in an `additional_tools` input item, and "code mode", where the model calls the
   * freeform tool `exec` with JavaScript that runs the nested tools.
   */
  const DEFAULT_MODEL = 'gpt-6.2-sol';
  const CODE = 'const r = await tools.exec_command({cmd: "cat notes.txt"});\ntext(r);';
  const DEFAULT_CASES: Array<{ upstream: UpstreamType; upstreamModel: string; api: UpstreamApi; how: string }> = [
    {
      upstream: 'openai',
      upstreamModel: 'gpt-6.2-sol',
      api: 'openai-responses',
      how: 'OpenAI deployment, passthrough',
    },
    {
      upstream: 'openai-compatible',
      upstreamModel: 'qwen-local',
      api: 'openai-chat',
      how: 'OpenAI-compatible deployment, translated',
    },
    {
      upstream: 'anthropic',
      upstreamModel: 'claude-sonnet-4-5',
      api: 'anthropic-messages',
      how: 'Anthropic deployment, translated',
    },
    { upstream: 'gemini', upstreamModel: 'gemini-2.5-flash', api: 'gemini', how: 'Gemini deployment, translated' },
  ];
  for (const { upstream, upstreamModel, api, how } of DEFAULT_CASES) {
    it(`codex exec (default model ${DEFAULT_MODEL}, responses-lite): code-mode exec round trip (${how})`, async () => {
      const own = await startGateway({
        upstreams: { up: upstream },
        config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: ${DEFAULT_MODEL}
    deployments: [{ provider: up, model: ${upstreamModel} }]
`,
      });
      try {
        // Translated, the freeform call is a function call whose one argument is the input.
        const call = { id: 'call_sim_1', name: 'exec', args: { input: CODE }, input: CODE };
        await assertToolRoundTrip(
          codexTrip(own, sink, { model: DEFAULT_MODEL, provider: 'up', upstreamModel, api, call: () => call }, false),
        );
      } finally {
        await own.close();
      }
    });
  }
});
