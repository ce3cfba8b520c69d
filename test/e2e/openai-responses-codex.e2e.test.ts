/**
 * Codex CLI's recorded Responses requests (test/fixtures/clients/codex/) replayed through llmux
 * with Codex's own headers, to an OpenAI-compatible deployment and to an Anthropic one: the
 * `namespace` group is flattened into its function tools, the built-in `web_search` is dropped
 * with a warning instead of failing the turn, tool calls come with the `response.output_item.done` Codex runs them from, and the
 * second turn (function_call + function_call_output, a reasoning item) is translated.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { anthropicStream } from '../support/anthropic-steps.ts';
import { asRecord, type JsonRecord } from '../support/json-guards.ts';
import { openAIChunk, openAIStreamFrames, openAIUsageChunk } from '../support/openai-steps.ts';
import {
  anthropicThinkingToolUse,
  codexRequests,
  type ResponsesSurfaceSetup,
  replayCodex,
  responsesEvents,
  startResponsesSurface,
} from '../support/responses-surface.ts';

function execCommandFrames(): string[] {
  const call = (fn: Record<string, string>, extra: Record<string, string> = {}) => ({
    tool_calls: [{ index: 0, ...extra, function: fn }],
  });
  return [
    openAIChunk({
      role: 'assistant',
      ...call({ name: 'exec_command', arguments: '' }, { id: 'call_x', type: 'function' }),
    }),
    openAIChunk(call({ arguments: '{"cmd":"cat notes.txt"}' })),
    openAIChunk({}, 'tool_calls'),
    openAIUsageChunk({ prompt_tokens: 5000, completion_tokens: 12 }),
    'data: [DONE]\n\n',
  ];
}

type Payload = Record<string, unknown>;

const itemsDone = (events: Payload[]): JsonRecord[] =>
  events.filter((e) => e.type === 'response.output_item.done').map((e) => asRecord(e.item, 'item'));

describe('Codex recorded requests through llmux', () => {
  let setup: ResponsesSurfaceSetup;

  before(async () => {
    setup = await startResponsesSurface();
  });
  after(() => setup.close());
  afterEach(() => {
    assert.equal(setup.local.pendingSteps(), 0, 'every scripted OpenAI-compatible step was used');
    assert.equal(setup.claude.pendingSteps(), 0, 'every scripted Anthropic step was used');
    setup.local.reset();
    setup.claude.reset();
  });

  it('turn 1 → OpenAI-compatible: built-ins dropped with a warning, the exec_command call with output_item.done', async () => {
    const [first] = codexRequests('02-tool-exec_command');
    assert.ok(first, 'a recorded first turn');
    setup.local.enqueue({ kind: 'sse-events', events: execCommandFrames() });
    const response = await replayCodex(setup, first);
    const sse = await response.text();
    assert.equal(response.status, 200, sse.slice(0, 300));
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const warnings = response.headers.get('x-llmux-warnings') ?? '';
    assert.doesNotMatch(warnings, /multi_agent_v1/, 'the namespace is flattened, not dropped');
    assert.match(warnings, /web_search/, warnings);
    const events = responsesEvents(sse);
    assert.deepEqual(
      events.slice(0, 3).map((e) => e.type),
      ['response.created', 'response.in_progress', 'response.output_item.added'],
    );
    const [call] = itemsDone(events);
    assert.equal(call?.type, 'function_call');
    assert.equal(call?.name, 'exec_command');
    assert.equal(call?.call_id, 'call_x');
    assert.equal(call?.arguments, '{"cmd":"cat notes.txt"}');
    const completed = asRecord(events.at(-1)?.response, 'completed response');
    assert.equal(events.at(-1)?.type, 'response.completed');
    assert.equal(asRecord(completed.usage, 'usage').input_tokens, 5000);
    const upstream = asRecord(setup.local.requests.at(-1)?.json, 'upstream body');
    const names = (upstream.tools as JsonRecord[]).map((t) => asRecord(t.function, 'function').name);
    assert.ok(!names.includes('multi_agent_v1'), 'no namespace tool upstream');
    assert.ok(names.includes('spawn_agent'), `the namespace's tools join the others: ${names.join(', ')}`);
    assert.equal(names.length, 12, 'the seven function tools and the five of the namespace');
    const row = await setup.logRow(response.headers.get('x-request-id') ?? '');
    assert.equal(row.surface, 'openai-responses', 'the surface is recorded');
    assert.equal(row.inputTokens, 5000);
    assert.equal(row.provider, 'local');
  });

  it('turn 2 → OpenAI-compatible: the call and its output become tool_calls and a tool message', async () => {
    const [, second] = codexRequests('02-tool-exec_command');
    assert.ok(second, 'a recorded second turn');
    setup.local.enqueue({ kind: 'sse-events', events: openAIStreamFrames(['The secret word is ', 'PAPAYA-42.']) });
    const response = await replayCodex(setup, second);
    const events = responsesEvents(await response.text());
    assert.equal(response.status, 200);
    const [message] = itemsDone(events);
    assert.equal(message?.type, 'message');
    assert.deepEqual(message?.content, [
      { type: 'output_text', text: 'The secret word is PAPAYA-42.', annotations: [], logprobs: [] },
    ]);
    const messages = asRecord(setup.local.requests.at(-1)?.json, 'upstream body').messages as JsonRecord[];
    const assistant = messages.at(-2);
    assert.deepEqual(assistant?.tool_calls, [
      {
        id: 'call_e28b07a73fe94fa9ea46aea7',
        type: 'function',
        function: { name: 'exec_command', arguments: '{"cmd":"cat notes.txt"}' },
      },
    ]);
    assert.equal(messages.at(-1)?.role, 'tool');
    assert.equal(messages.at(-1)?.tool_call_id, 'call_e28b07a73fe94fa9ea46aea7');
  });

  it('turn 1 → Anthropic: thinking rendered as a reasoning item with encrypted_content, then the call', async () => {
    const [first] = codexRequests('04-tool-with-reasoning');
    assert.ok(first, 'a recorded first turn');
    setup.claude.enqueue({ kind: 'sse-events', events: anthropicThinkingToolUse('sig-2') });
    const response = await replayCodex(setup, first, { ...first.body, model: 'codex-on-claude' });
    const sse = await response.text();
    assert.equal(response.status, 200, sse.slice(0, 300));
    const [reasoning, call] = itemsDone(responsesEvents(sse));
    assert.equal(reasoning?.type, 'reasoning');
    assert.ok(typeof reasoning?.encrypted_content === 'string', 'Codex asked for encrypted_content');
    assert.equal(call?.type, 'function_call');
    assert.equal(call?.arguments, '{"cmd":"cat notes.txt"}');
    const upstream = asRecord(setup.claude.requests.at(-1)?.json, 'upstream body');
    assert.ok(Array.isArray(upstream.system) || typeof upstream.system === 'string', 'developer messages as system');
  });

  it('turn 2 → Anthropic: a reasoning item from elsewhere is not sent as a signature; the answer completes', async () => {
    const [, second] = codexRequests('04-tool-with-reasoning');
    assert.ok(second, 'a recorded second turn');
    setup.claude.enqueue(anthropicStream('PAPAYA-42'));
    const response = await replayCodex(setup, second, { ...second.body, model: 'codex-on-claude' });
    const events = responsesEvents(await response.text());
    assert.equal(response.status, 200);
    assert.equal(events.at(-1)?.type, 'response.completed');
    const messages = asRecord(setup.claude.requests.at(-1)?.json, 'upstream body').messages as JsonRecord[];
    const assistant = messages.find((m) => m.role === 'assistant');
    assert.ok(assistant, 'the assistant turn is sent');
    const blocks = (assistant.content as JsonRecord[]).map((b) => b.type);
    assert.deepEqual(blocks, ['tool_use'], 'the recorder-made encrypted_content is no Claude signature');
  });
});
