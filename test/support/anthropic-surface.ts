/**
 * llmux with its Anthropic Messages surface in front of three simulators: `claude` (an Anthropic
 * deployment: passthrough), `local` (OpenAI-compatible) and `google` (Gemini), both translated, an `@anthropic-ai/sdk`
 * client pointed at llmux, and the recorded Claude Code requests.
 */
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { readFixture } from './fixture-paths.ts';
import { type Gateway, simOf, startGateway } from './gateway.ts';
import { asRecord, type JsonRecord } from './json-guards.ts';
import type { Simulator } from './upstream-simulator.ts';

export const ANTHROPIC_UPSTREAM_KEY = 'test-anthropic-key';

export interface AnthropicSurfaceSetup {
  gateway: Gateway;
  claude: Simulator;
  local: Simulator;
  google: Simulator;
  anthropic: Anthropic;
  /** The request-log row of a request, once written. */
  logRow(requestId: string): Promise<Awaited<ReturnType<Gateway['llmux']['app']['store']['listRequests']>>[number]>;
  close(): Promise<void>;
}

/** `claude-*` (any Claude Code model id) → Anthropic; `local-model` → OpenAI-compatible; `gemini-model` → Gemini. */
export async function startAnthropicSurface(): Promise<AnthropicSurfaceSetup> {
  const gateway = await startGateway({
    upstreams: {
      claude: { type: 'anthropic', apiKey: ANTHROPIC_UPSTREAM_KEY },
      local: 'openai-compatible',
      google: 'gemini',
    },
    config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: claude-*
    deployments: [{ provider: claude, model: "claude-*" }]
  - name: local-model
    deployments: [{ provider: local, model: qwen-local }]
  - name: gemini-model
    deployments: [{ provider: google, model: gemini-2.5-flash }]
`,
  });
  const anthropic = new Anthropic({ apiKey: gateway.llmux.apiKey, baseURL: gateway.llmux.url, maxRetries: 0 });
  return {
    gateway,
    claude: simOf(gateway, 'claude'),
    local: simOf(gateway, 'local'),
    google: simOf(gateway, 'google'),
    anthropic,
    async logRow(requestId) {
      const store = gateway.llmux.app.store;
      for (let tries = 0; tries < 50; tries++) {
        await store.requestLog.flush();
        const row = (await store.listRequests({ limit: 1000 })).find((r) => r.requestId === requestId);
        if (row) return row;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.fail(`no request log row for ${requestId}`);
    },
    close: () => gateway.close(),
  };
}

export interface ClaudeCodeRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The SSE frames the recorder answered with (Anthropic's shapes). */
  frames: string[];
}

/** The requests of one recorded Claude Code run (`test/fixtures/clients/claude-code/runs/<run>.requests.jsonl`). */
export function claudeCodeRequests(run: string): ClaudeCodeRequest[] {
  const text = readFixture(`clients/claude-code/runs/${run}.requests.jsonl`).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const entry = asRecord(JSON.parse(line), `${run} line`);
      const headers: Record<string, string> = {};
      for (const pair of entry.headers as [string, string][]) headers[pair[0].toLowerCase()] = pair[1];
      const response = asRecord(entry.response, 'response');
      const query = asRecord(entry.query ?? {}, 'query');
      const search = new URLSearchParams(query as Record<string, string>).toString();
      return {
        path: `${String(entry.path)}${search ? `?${search}` : ''}`,
        headers,
        body: String(entry.body),
        frames: (response.frames as string[]) ?? [],
      };
    });
}

/** Posts a recorded Claude Code request to llmux with its own headers (the key replaced by llmux's). */
export async function replayClaudeCode(
  setup: AnthropicSurfaceSetup,
  request: ClaudeCodeRequest,
  body: string = request.body,
): Promise<Response> {
  const headers: Record<string, string> = { ...request.headers, 'x-api-key': setup.gateway.llmux.apiKey };
  delete headers['content-length'];
  delete headers['accept-encoding'];
  delete headers.host;
  delete headers.connection;
  return fetch(`${setup.gateway.llmux.url}${request.path}`, { method: 'POST', headers, body });
}

/** `event:` names of an SSE body, in order. */
export function eventNames(sse: string): string[] {
  return [...sse.matchAll(/^event: (\S+)$/gm)].map((match) => match[1] as string);
}

export function jsonOf(sim: Simulator, index = -1): JsonRecord {
  return asRecord(sim.requests.at(index)?.json, 'upstream body');
}
