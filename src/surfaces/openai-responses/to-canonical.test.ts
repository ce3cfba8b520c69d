/**
 * Responses request → canonical request: the recorded Codex requests, each input item type, the
 * settings, what is dropped with a warning and what is refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture } from '../../../test/support/fixtures.ts';
import { GatewayError } from '../../core/errors.ts';
import type { Message } from '../../core/types.ts';
import { encodeReasoningCarrier } from './reasoning-carrier.ts';
import { fromResponsesRequest } from './to-canonical.ts';
import { validateResponsesRequest } from './validate-request.ts';

const convert = (body: Record<string, unknown>) => fromResponsesRequest(validateResponsesRequest(body));

/** The request bodies of one recorded Codex run. */
function codexBodies(run: string): Record<string, unknown>[] {
  return readFixture(`clients/codex/runs/${run}.requests.jsonl`)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(JSON.parse(line).body as string) as Record<string, unknown>);
}

function rejects(body: Record<string, unknown>, param: string): GatewayError {
  try {
    convert(body);
  } catch (error) {
    assert.ok(error instanceof GatewayError, 'a GatewayError');
    assert.equal(error.status, 400, error.message);
    assert.equal(error.param, param, error.message);
    return error;
  }
  assert.fail(`accepted a body with a bad ${param}`);
}

describe('Codex recorded requests', () => {
  it('turn 2 of a tool round trip: developer messages, the call and its output, tools without the built-ins', () => {
    const [, second] = codexBodies('02-tool-exec_command');
    const { request, warnings } = convert(second as Record<string, unknown>);
    assert.deepEqual(
      request.messages.map((m) => m.role),
      ['developer', 'developer', 'user', 'user', 'assistant', 'tool'],
    );
    const assistant = request.messages[4] as Message;
    assert.deepEqual(assistant.parts, [
      {
        type: 'tool-call',
        id: 'call_e28b07a73fe94fa9ea46aea7',
        name: 'exec_command',
        arguments: '{"cmd":"cat notes.txt"}',
      },
    ]);
    const result = (request.messages[5] as Message).parts[0];
    assert.ok(result?.type === 'tool-result', 'a tool result');
    assert.equal(result.toolCallId, 'call_e28b07a73fe94fa9ea46aea7');
    assert.equal(result.name, 'exec_command', 'named after the call it answers');
    assert.match(String(result.content), /PAPAYA-42/);
    assert.deepEqual(
      request.tools?.map((t) => t.name),
      [
        'exec_command',
        'write_stdin',
        'request_user_input',
        'view_image',
        'close_agent',
        'resume_agent',
        'send_input',
        'spawn_agent',
        'wait_agent',
        'get_goal',
        'create_goal',
        'update_goal',
      ],
      'the namespace multi_agent_v1 flattened in place',
    );
    assert.ok(
      warnings.some((w) => w.includes('web_search') && !w.includes('multi_agent_v1')),
      `built-in tools listed: ${warnings.join('; ')}`,
    );
    assert.ok(warnings.includes('client_metadata ignored'), 'client_metadata listed');
    assert.ok(!warnings.some((w) => w.startsWith('store')), 'store: false is no warning');
    assert.equal(request.stream, true);
    assert.equal(request.parallelToolCalls, true);
    assert.deepEqual(request.toolChoice, { type: 'auto' });
    assert.deepEqual(request.reasoning, { includeThoughts: true }, 'summary auto asks for the thoughts');
    assert.deepEqual(request.extraFields, { prompt_cache_key: second?.prompt_cache_key }, 'left to the provider');
  });

  it('a reasoning item: its summary kept, a foreign encrypted_content dropped, in the assistant turn before the call', () => {
    const [, second] = codexBodies('04-tool-with-reasoning');
    const { request } = convert(second as Record<string, unknown>);
    const assistant = request.messages.find((m) => m.role === 'assistant') as Message;
    assert.deepEqual(assistant.parts[0], { type: 'reasoning', text: 'Thinking about the request.' });
    assert.equal(assistant.parts[1]?.type, 'tool-call', 'the call in the same assistant message');
  });
});

describe('Responses input items', () => {
  it('a string input with instructions: a system then a user message', () => {
    const { request } = convert({ model: 'm', input: 'Hi', instructions: 'Be brief.' });
    assert.deepEqual(request.messages, [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Hi' }] },
    ]);
  });

  it('images and files: data URLs become base64 with their type, URLs stay URLs', () => {
    const { request } = convert({
      model: 'm',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'Look' },
            { type: 'input_image', image_url: 'data:image/png;base64,iVBOR', detail: 'low' },
            { type: 'input_image', image_url: 'https://example.com/a.png' },
            { type: 'input_file', file_data: 'data:application/pdf;base64,JVBER', filename: 'a.pdf' },
            { type: 'input_file', file_url: 'https://example.com/b.pdf' },
          ],
        },
      ],
    });
    assert.deepEqual(request.messages[0]?.parts, [
      { type: 'text', text: 'Look' },
      { type: 'image', data: 'iVBOR', mediaType: 'image/png', detail: 'low' },
      { type: 'image', url: 'https://example.com/a.png' },
      { type: 'file', data: 'JVBER', mediaType: 'application/pdf', filename: 'a.pdf' },
      { type: 'file', url: 'https://example.com/b.pdf' },
    ]);
  });

  it("llmux's own encrypted_content gives the signature back; assistant text and refusal join the turn", () => {
    const carried = encodeReasoningCarrier({ signature: 'sig-1' });
    const { request } = convert({
      model: 'm',
      input: [
        { role: 'user', content: 'Q' },
        { type: 'reasoning', summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: carried },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A' }] },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
        { type: 'function_call', call_id: 'c2', name: 'g', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: [{ type: 'input_text', text: 'one' }] },
        { type: 'function_call_output', call_id: 'c2', output: 'two' },
      ],
    });
    assert.deepEqual(
      request.messages.map((m) => m.role),
      ['user', 'assistant', 'tool', 'tool'],
    );
    assert.deepEqual(request.messages[1]?.parts.slice(0, 2), [
      { type: 'reasoning', text: 'thinking', signature: 'sig-1' },
      { type: 'text', text: 'A' },
    ]);
    assert.deepEqual(request.messages[2]?.parts[0], {
      type: 'tool-result',
      toolCallId: 'c1',
      name: 'f',
      content: [{ type: 'text', text: 'one' }],
    });
  });
});

describe('Responses settings', () => {
  it('text.format, reasoning, sampling, limits and metadata map to their canonical fields', () => {
    const { request, warnings } = convert({
      model: 'm',
      input: 'x',
      text: { format: { type: 'json_schema', name: 'city', schema: { type: 'object' }, strict: true } },
      reasoning: { effort: 'high', summary: 'detailed' },
      max_output_tokens: 500,
      temperature: 0.2,
      top_p: 0.9,
      metadata: { team: 'a' },
      tool_choice: { type: 'function', name: 'f' },
      parallel_tool_calls: false,
      store: true,
    });
    assert.deepEqual(request.responseFormat, {
      type: 'json_schema',
      name: 'city',
      schema: { type: 'object' },
      strict: true,
    });
    assert.deepEqual(request.reasoning, { effort: 'high', includeThoughts: true });
    assert.equal(request.maxOutputTokens, 500);
    assert.equal(request.temperature, 0.2);
    assert.equal(request.topP, 0.9);
    assert.deepEqual(request.metadata, { team: 'a' });
    assert.deepEqual(request.toolChoice, { type: 'function', name: 'f' });
    assert.equal(request.parallelToolCalls, false);
    assert.ok(!warnings.some((w) => w.startsWith('store')), 'store is honoured (kept by the route), not a warning');
    assert.deepEqual(
      convert({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } }).request.responseFormat,
      {
        type: 'json_object',
      },
    );
  });

  it('previous_response_id is accepted (the route replays it) and never becomes an extra field', () => {
    const { request } = convert({ model: 'm', input: 'x', previous_response_id: 'resp_1' });
    assert.equal(request.extraFields, undefined, 'not forwarded as an unknown field');
    rejects({ model: 'm', input: 'x', previous_response_id: 42 }, 'previous_response_id');
    const error = rejects({ model: 'm', input: 'x', conversation: 'conv_1' }, 'conversation');
    assert.match(error.message, /not supported yet/);
  });

  it('bad fields are 400s naming the path', () => {
    rejects({ model: 'm' }, 'input');
    rejects({ input: 'x' }, 'model');
    rejects({ model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] }, 'input[0].call_id');
    rejects(
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_image' }] }] },
      'input[0].content[0].image_url',
    );
    rejects({ model: 'm', input: [{ type: 'web_search_call', id: 'ws' }] }, 'input[0].type');
    rejects({ model: 'm', input: 'x', temperature: 3 }, 'temperature');
    rejects({ model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'n' } } }, 'text.format.schema');
    rejects(
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] },
      'input[0].content[0].file_id',
    );
  });
});
