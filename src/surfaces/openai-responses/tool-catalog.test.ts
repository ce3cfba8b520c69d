/**
 * Codex's default-model shape (recorded run 03): `additional_tools` with `namespace` groups and the
 * freeform `custom` tool `exec`, flattened into function tools; a call of a custom tool rendered
 * as a `custom_tool_call` (the event and item fields of the `openai` SDK's
 * `ResponseCustomToolCallInputDeltaEvent` / `…DoneEvent` / `ResponseCustomToolCall`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture } from '../../../test/support/fixtures.ts';
import type { ChatResult, StreamEvent } from '../../core/types.ts';
import type { ResponsesRequestBody } from '../../protocols/openai-responses.ts';
import { type ResponseIdentity, toResponse } from './render-response.ts';
import { ResponsesEventRenderer } from './render-stream.ts';
import { fromResponsesRequest } from './to-canonical.ts';
import { customInputOf, toolCatalog } from './tool-catalog.ts';
import { validateResponsesRequest } from './validate-request.ts';

const turns = readFixture('clients/codex/runs/03-tool-default-model-codemode.requests.jsonl')
  .toString('utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => validateResponsesRequest(JSON.parse(JSON.parse(line).body)));
const [first, second] = turns as [ResponsesRequestBody, ResponsesRequestBody];
const EXEC_INPUT = 'const r = await tools.exec_command({cmd: "cat notes.txt"});\ntext(r);';

const identity = (body: ResponsesRequestBody): ResponseIdentity => ({
  id: 'resp_r1',
  model: 'm',
  createdAt: 1_700_000_000,
  body,
});

describe('the tools of a Responses request (tool-catalog.ts)', () => {
  it('additional_tools: the namespaces flattened, exec a function of one string, nothing dropped', () => {
    const catalog = toolCatalog(first);
    assert.deepEqual(
      catalog.tools.map((tool) => tool.name),
      [
        'exec',
        'wait',
        'request_user_input',
        'request_user_input_async',
        'send_message_to_user_async',
        'sleep',
        'followup_task',
        'interrupt_agent',
        'list_agents',
        'send_message',
        'spawn_agent',
        'wait_agent',
      ],
    );
    assert.deepEqual([...catalog.custom], ['exec']);
    assert.deepEqual(catalog.dropped, []);
    const exec = catalog.tools[0];
    assert.deepEqual(exec?.parameters?.required, ['input']);
    assert.match(exec?.description ?? '', /Run JavaScript/);
    const { request, warnings } = fromResponsesRequest(first);
    assert.equal(request.tools?.length, 12, 'the request carries them');
    assert.ok(!warnings.some((w) => w.startsWith('tools dropped')), warnings.join('; '));
    assert.ok(
      request.messages.every((message) => message.role !== 'assistant'),
      'the additional_tools item adds no message',
    );
  });

  it('turn 2: custom_tool_call → a tool call of {"input"}; its array output → a tool result', () => {
    const { request } = fromResponsesRequest(second);
    const assistant = request.messages.find((message) => message.role === 'assistant');
    assert.deepEqual(assistant?.parts, [
      {
        type: 'tool-call',
        id: 'call_2eb0ce89cb609216bc405c5a',
        name: 'exec',
        arguments: JSON.stringify({ input: EXEC_INPUT }),
      },
    ]);
    const result = request.messages.at(-1)?.parts[0];
    assert.ok(result?.type === 'tool-result', 'a tool result last');
    assert.equal(result.name, 'exec', 'named after its call');
    assert.ok(Array.isArray(result.content) && result.content.length === 2, 'both input_text parts');
  });

  it('a stream: the call of exec as a custom_tool_call with its input events', () => {
    const renderer = new ResponsesEventRenderer(identity(first));
    const args = JSON.stringify({ input: EXEC_INPUT });
    const events: StreamEvent[] = [
      { type: 'tool-call-start', choice: 0, index: 0, id: 'toolu_1', name: 'exec' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: args.slice(0, 10) },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: args.slice(10) },
      { type: 'tool-call-end', choice: 0, index: 0 },
      { type: 'finish', choice: 0, reason: { unified: 'tool_calls', raw: 'tool_use' } },
    ];
    const sse = events.map((event) => renderer.render(event)).join('') + renderer.end();
    const payloads = [...sse.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1] as string));
    const types = payloads.map((p) => p.type);
    assert.deepEqual(types, [
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const [added, delta, done, itemDone] = payloads.slice(2, 6);
    assert.deepEqual(Object.keys(added.item).sort(), ['call_id', 'id', 'input', 'name', 'status', 'type']);
    assert.deepEqual(Object.keys(delta).sort(), ['delta', 'item_id', 'output_index', 'sequence_number', 'type']);
    assert.deepEqual(Object.keys(done).sort(), ['input', 'item_id', 'output_index', 'sequence_number', 'type']);
    assert.equal(delta.delta, EXEC_INPUT);
    assert.equal(done.input, EXEC_INPUT);
    assert.deepEqual(itemDone.item, {
      id: added.item.id,
      type: 'custom_tool_call',
      status: 'completed',
      call_id: 'toolu_1',
      name: 'exec',
      input: EXEC_INPUT,
    });
  });

  it('a whole answer: the call of exec as a custom_tool_call item', () => {
    const result: ChatResult = {
      id: 'x',
      model: 'm',
      created: 1,
      choices: [
        {
          index: 0,
          text: null,
          refusal: null,
          reasoning: [],
          toolCalls: [
            { type: 'tool-call', id: 'toolu_1', name: 'exec', arguments: JSON.stringify({ input: 'exit()' }) },
          ],
          citations: [],
          logprobs: null,
          finishReason: { unified: 'tool_calls', raw: 'tool_use' },
        },
      ],
    };
    const output = toResponse(result, identity(first)).output as Array<Record<string, unknown>>;
    assert.deepEqual(output, [
      {
        id: 'ctc_r1_0',
        type: 'custom_tool_call',
        status: 'completed',
        call_id: 'toolu_1',
        name: 'exec',
        input: 'exit()',
      },
    ]);
  });

  it('arguments that are not {"input": string} are taken as the input itself', () => {
    assert.equal(customInputOf('{"input":"a"}'), 'a');
    assert.equal(customInputOf('plain text'), 'plain text');
    assert.equal(customInputOf('{"other":1}'), '{"other":1}');
  });

  it('bad additional_tools and custom tool items get a 400 naming the field', () => {
    const bad = (item: Record<string, unknown>) => () => validateResponsesRequest({ model: 'm', input: [item] });
    assert.throws(bad({ type: 'additional_tools' }), /input\[0\]\.tools/);
    assert.throws(bad({ type: 'additional_tools', tools: [{ type: 'custom' }] }), /input\[0\]\.tools\[0\]\.name/);
    assert.throws(bad({ type: 'custom_tool_call', call_id: 'c', name: 'exec' }), /input\[0\]\.input/);
    assert.throws(bad({ type: 'custom_tool_call_output', call_id: 'c' }), /input\[0\]\.output/);
  });
});
