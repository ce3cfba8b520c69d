/**
 * The real Claude Code CLI (`claude -p`, Anthropic Messages) through llmux, headless and offline:
 * one tool call (Bash `cat notes.txt`) to an Anthropic deployment (passthrough), and to an
 * OpenAI-compatible and a Gemini one (translated). Skips, saying why, when scripts/install-clis.sh
 * could not install it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertToolRoundTrip, type RoundTrip } from '../support/cli-round-trip.ts';
import { cliBaseEnv, findCli, type SinkProxy, startSinkProxy } from '../support/cli-runner.ts';
import { type Gateway, startGateway } from '../support/gateway.ts';
import { isRecord } from '../support/json-guards.ts';
import type { UpstreamApi } from '../support/tool-turns.ts';

const found = findCli('claude-code');

const MODELS = `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: claude-sonnet-4-5
    deployments: [{ provider: claude, model: claude-sonnet-4-5-20250929 }]
  - name: cc-local
    deployments: [{ provider: local, model: qwen-local }]
  - name: cc-gemini
    deployments: [{ provider: gem, model: gemini-2.5-flash }]
`;

const CASES: Array<{ model: string; provider: string; upstreamModel: string; api: UpstreamApi; how: string }> = [
  {
    model: 'claude-sonnet-4-5',
    provider: 'claude',
    upstreamModel: 'claude-sonnet-4-5-20250929',
    api: 'anthropic-messages',
    how: 'Anthropic deployment, passthrough',
  },
  {
    model: 'cc-local',
    provider: 'local',
    upstreamModel: 'qwen-local',
    api: 'openai-chat',
    how: 'OpenAI-compatible deployment, translated',
  },
  {
    model: 'cc-gemini',
    provider: 'gem',
    upstreamModel: 'gemini-2.5-flash',
    api: 'gemini',
    how: 'Gemini deployment, translated',
  },
];

/** `--output-format json` prints one result object; its `result` is the final answer. */
function resultOf(stdout: string): string {
  try {
    const parsed: unknown = JSON.parse(stdout);
    return isRecord(parsed) && typeof parsed.result === 'string' ? parsed.result : '';
  } catch {
    return '';
  }
}

describe(`Claude Code ${found.cli?.version ?? '(not installed)'} → llmux`, { skip: found.skip ?? false }, () => {
  let gateway: Gateway;
  let sink: SinkProxy;

  before(async () => {
    sink = await startSinkProxy();
    gateway = await startGateway({
      upstreams: { claude: 'anthropic', local: 'openai-compatible', gem: 'gemini' },
      config: MODELS,
    });
  });
  after(async () => {
    await gateway?.close();
    await sink?.close();
  });

  for (const { model, provider, upstreamModel, api, how } of CASES) {
    it(`claude -p --model ${model}: Bash tool round trip (${how})`, async () => {
      const cli = found.cli;
      assert.ok(cli, 'installed');
      const trip: RoundTrip = {
        gateway,
        cli,
        sink,
        surface: 'anthropic-messages',
        model,
        provider,
        upstreamModel,
        api,
        call: () => ({
          id: 'toolu_sim_1',
          name: 'Bash',
          args: { command: 'cat notes.txt', description: 'Show notes' },
        }),
        args: (prompt) => ['-p', prompt, '--output-format', 'json', '--model', model],
        env: (workspace) => ({
          ...cliBaseEnv(workspace.home, sink),
          ANTHROPIC_BASE_URL: gateway.llmux.url,
          ANTHROPIC_API_KEY: gateway.llmux.apiKey,
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          DISABLE_TELEMETRY: '1',
          DISABLE_AUTOUPDATER: '1',
          // Fail on the first error instead of retrying with backoff or falling back to a
          // non-streaming request that would hide a broken stream.
          CLAUDE_CODE_MAX_RETRIES: '0',
          CLAUDE_CODE_DISABLE_NONSTREAMING_FALLBACK: '1',
        }),
        answerOf: (run) => resultOf(run.stdout),
      };
      const run = await assertToolRoundTrip(trip);
      assert.match(run.stdout, /"is_error":\s*false/, 'Claude Code reports no error');
    });
  }
});
