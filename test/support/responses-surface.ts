/**
 * llmux with its OpenAI Responses surface in front of two simulators: `local` (OpenAI-compatible)
 * and `claude` (Anthropic), both translated (no provider speaks the Responses API yet), the
 * `openai` SDK pointed at llmux, and the recorded Codex requests.
 */
import assert from 'node:assert/strict';
import type { RequestLogRecord } from '../../src/store/types.ts';
import { anthropicEvent } from './anthropic-steps.ts';
import { readFixture } from './fixture-paths.ts';
import { type Gateway, simOf, startGateway } from './gateway.ts';
import { asRecord } from './json-guards.ts';
import type { Simulator } from './upstream-simulator.ts';

export interface ResponsesSurfaceSetup {
  gateway: Gateway;
  local: Simulator;
  claude: Simulator;
  /** The request-log row of a request, once written. */
  logRow(requestId: string): Promise<RequestLogRecord>;
  close(): Promise<void>;
}

/** `local-model` and `gpt-5-codex` (Codex's model) → OpenAI-compatible; `claude-model` → Anthropic. */
export async function startResponsesSurface(): Promise<ResponsesSurfaceSetup> {
  const gateway = await startGateway({
    upstreams: { local: 'openai-compatible', claude: 'anthropic' },
    config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: local-model
    deployments: [{ provider: local, model: qwen-local }]
  - name: gpt-5-codex
    deployments: [{ provider: local, model: qwen-local }]
  - name: claude-model
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
  - name: codex-on-claude
    deployments: [{ provider: claude, model: claude-sonnet-4-5 }]
`,
  });
  return {
    gateway,
    local: simOf(gateway, 'local'),
    claude: simOf(gateway, 'claude'),
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

export interface CodexRequest {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** The requests of one recorded Codex run (`test/fixtures/clients/codex/runs/<run>.requests.jsonl`). */
export function codexRequests(run: string): CodexRequest[] {
  return readFixture(`clients/codex/runs/${run}.requests.jsonl`)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const entry = asRecord(JSON.parse(line), `${run} line`);
      const headers: Record<string, string> = {};
      for (const pair of entry.headers as [string, string][]) headers[pair[0].toLowerCase()] = pair[1];
      return { headers, body: asRecord(JSON.parse(String(entry.body)), `${run} body`) };
    });
}

/** Posts a Codex request to llmux with Codex's own headers (the key replaced by llmux's). */
export function replayCodex(
  setup: ResponsesSurfaceSetup,
  request: CodexRequest,
  body: object = request.body,
): Promise<Response> {
  const headers: Record<string, string> = { ...request.headers, authorization: `Bearer ${setup.gateway.llmux.apiKey}` };
  for (const name of ['content-length', 'accept-encoding', 'host', 'connection']) delete headers[name];
  return fetch(`${setup.gateway.llmux.url}/v1/responses`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** The JSON payloads of a Responses event stream, in order. */
export function responsesEvents(sse: string): Array<Record<string, unknown>> {
  return [...sse.matchAll(/^data: (.*)$/gm)].map((match) => asRecord(JSON.parse(match[1] as string), 'event'));
}

/** An Anthropic stream: a signed thinking block, then a tool_use block, stop_reason tool_use. */
export function anthropicThinkingToolUse(signature: string): string[] {
  const block = (index: number, content_block: Record<string, unknown>) =>
    anthropicEvent('content_block_start', { type: 'content_block_start', index, content_block });
  const delta = (index: number, value: Record<string, unknown>) =>
    anthropicEvent('content_block_delta', { type: 'content_block_delta', index, delta: value });
  const stop = (index: number) => anthropicEvent('content_block_stop', { type: 'content_block_stop', index });
  return [
    anthropicEvent('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_sim',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 30, output_tokens: 1 },
      },
    }),
    block(0, { type: 'thinking', thinking: '', signature: '' }),
    delta(0, { type: 'thinking_delta', thinking: 'I should read the file.' }),
    delta(0, { type: 'signature_delta', signature }),
    stop(0),
    block(1, { type: 'tool_use', id: 'toolu_1', name: 'exec_command', input: {} }),
    delta(1, { type: 'input_json_delta', partial_json: '{"cmd":' }),
    delta(1, { type: 'input_json_delta', partial_json: '"cat notes.txt"}' }),
    stop(1),
    anthropicEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 20 },
    }),
    anthropicEvent('message_stop', { type: 'message_stop' }),
  ];
}
