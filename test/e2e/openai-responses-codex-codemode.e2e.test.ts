/**
 * Codex's default-model ("responses-lite") shape, recorded (`clients/codex/runs/03-tool-default-model-codemode`),
 * translated to an Anthropic deployment: the tools come in an `additional_tools` input item as
 * `namespace` groups with the freeform `custom` tool `exec`; Claude's call of `exec` comes back as
 * a `custom_tool_call` (with `response.custom_tool_call_input.delta`/`.done`), and turn 2 (the
 * echoed `custom_tool_call`, a `custom_tool_call_output` with an array of input_text) translates.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { anthropicEvent, anthropicStream } from '../support/anthropic-steps.ts';
import { asRecord, type JsonRecord } from '../support/json-guards.ts';
import {
  codexRequests,
  type ResponsesSurfaceSetup,
  replayCodex,
  responsesEvents,
  startResponsesSurface,
} from '../support/responses-surface.ts';

const RUN = '03-tool-default-model-codemode';
const EXEC_INPUT = 'const r = await tools.exec_command({cmd: "cat notes.txt"});\ntext(r);';

/** Claude calling `exec` with its one string argument, streamed in two pieces. */
function claudeCallsExec(): string[] {
  const args = JSON.stringify({ input: EXEC_INPUT });
  const cut = Math.floor(args.length / 2);
  const delta = (partial_json: string) =>
    anthropicEvent('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'input_json_delta', partial_json },
    });
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
        usage: { input_tokens: 9000, output_tokens: 1 },
      },
    }),
    anthropicEvent('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'toolu_exec', name: 'exec', input: {} },
    }),
    delta(args.slice(0, cut)),
    delta(args.slice(cut)),
    anthropicEvent('content_block_stop', { type: 'content_block_stop', index: 0 }),
    anthropicEvent('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 30 },
    }),
    anthropicEvent('message_stop', { type: 'message_stop' }),
  ];
}

describe("Codex's default-model shape (additional_tools, custom tool exec) → Anthropic", () => {
  let setup: ResponsesSurfaceSetup;

  before(async () => {
    setup = await startResponsesSurface();
  });
  after(() => setup.close());
  afterEach(() => {
    assert.equal(setup.claude.pendingSteps(), 0, 'every scripted Anthropic step was used');
    setup.claude.reset();
  });

  it('turn 1: the namespaces flattened, exec offered as a one-string function, its call rendered as custom_tool_call', async () => {
    const [first] = codexRequests(RUN);
    assert.ok(first, 'a recorded first turn');
    setup.claude.enqueue({ kind: 'sse-events', events: claudeCallsExec() });
    const response = await replayCodex(setup, first, { ...first.body, model: 'codex-on-claude' });
    const sse = await response.text();
    assert.equal(response.status, 200, sse.slice(0, 300));

    const upstream = asRecord(setup.claude.requests.at(-1)?.json, 'Anthropic body');
    const tools = upstream.tools as JsonRecord[];
    const names = tools.map((tool) => tool.name);
    for (const name of ['exec', 'wait', 'sleep', 'spawn_agent', 'list_agents']) {
      assert.ok(names.includes(name), `${name} offered: ${names.join(', ')}`);
    }
    const exec = tools.find((tool) => tool.name === 'exec');
    assert.deepEqual(asRecord(exec?.input_schema, 'exec schema').required, ['input'], 'one string argument');
    const messages = upstream.messages as JsonRecord[];
    assert.ok(
      !JSON.stringify(messages).includes('additional_tools'),
      'the additional_tools item is no message of the conversation',
    );

    const events = responsesEvents(sse);
    const added = events.find((e) => e.type === 'response.output_item.added');
    assert.equal(asRecord(added?.item, 'added item').type, 'custom_tool_call');
    const deltas = events.filter((e) => e.type === 'response.custom_tool_call_input.delta').map((e) => e.delta);
    assert.equal(deltas.join(''), EXEC_INPUT, 'the input streamed as custom_tool_call_input.delta');
    const done = events.find((e) => e.type === 'response.custom_tool_call_input.done');
    assert.equal(done?.input, EXEC_INPUT);
    const item = asRecord(events.find((e) => e.type === 'response.output_item.done')?.item, 'done item');
    assert.equal(item.type, 'custom_tool_call');
    assert.equal(item.name, 'exec');
    assert.equal(item.call_id, 'toolu_exec');
    assert.equal(item.input, EXEC_INPUT, 'the raw JavaScript, not the JSON arguments');
    assert.equal(item.status, 'completed');
    assert.ok(String(item.id).startsWith('ctc_'), `a custom tool call id: ${item.id}`);
    const completed = events.at(-1);
    assert.equal(completed?.type, 'response.completed');
    const output = asRecord(completed?.response, 'response').output as JsonRecord[];
    assert.deepEqual(output.at(-1), item, 'the completed response lists the same item');
  });

  it('turn 2: the echoed custom_tool_call and its array output become tool_use and tool_result', async () => {
    const [, second] = codexRequests(RUN);
    assert.ok(second, 'a recorded second turn');
    setup.claude.enqueue(anthropicStream('The secret word is PAPAYA-42.'));
    const response = await replayCodex(setup, second, { ...second.body, model: 'codex-on-claude' });
    const sse = await response.text();
    assert.equal(response.status, 200, sse.slice(0, 300));
    const messages = asRecord(setup.claude.requests.at(-1)?.json, 'Anthropic body').messages as JsonRecord[];
    const blocks = messages.flatMap((message) =>
      Array.isArray(message.content) ? (message.content as JsonRecord[]) : [],
    );
    const toolUse = blocks.find((block) => block.type === 'tool_use');
    assert.equal(toolUse?.name, 'exec');
    assert.equal(toolUse?.id, 'call_2eb0ce89cb609216bc405c5a', 'the recorded call id');
    assert.deepEqual(toolUse?.input, { input: EXEC_INPUT }, 'the custom input as the one argument');
    const result = blocks.find((block) => block.type === 'tool_result');
    assert.equal(result?.tool_use_id, 'call_2eb0ce89cb609216bc405c5a');
    assert.match(JSON.stringify(result?.content), /PAPAYA-42/, 'the array output carried');
    assert.ok(sse.includes('PAPAYA-42'), 'the answer reaches Codex');
  });
});
