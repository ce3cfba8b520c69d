/** Request building: tools and tool_choice (every body is also checked against the spec). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { build, testTarget } from '../../../test/support/providers/anthropic/test-helpers.ts';
import type { Message, ToolDefinition } from '../../core/types.ts';

const user = (text: string): Message => ({ role: 'user', parts: [{ type: 'text', text }] });
const toolResult = (id: string, content: string): Message => ({
  role: 'tool',
  parts: [{ type: 'tool-result', toolCallId: id, content }],
});
const call = (id: string, name: string, args: string) => ({ type: 'tool-call' as const, id, name, arguments: args });

describe('tools and tool_choice', () => {
  const tools = [
    {
      type: 'function' as const,
      name: 'weather',
      description: 'Get weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
    { type: 'function' as const, name: 'ping', cache: { type: 'ephemeral' as const } },
  ];

  test('tools → name/description/input_schema; missing parameters → empty object schema; cache_control', () => {
    const { body } = build({ tools });
    assert.deepEqual(body.tools, [
      {
        name: 'weather',
        description: 'Get weather',
        input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
      { name: 'ping', input_schema: { type: 'object', properties: {} }, cache_control: { type: 'ephemeral' } },
    ]);
    assert.equal(body.tool_choice, undefined);
  });

  test('tool_choice auto / none (tools kept) / required → any / named → tool', () => {
    assert.deepEqual(build({ tools, toolChoice: { type: 'auto' } }).body.tool_choice, { type: 'auto' });
    const none = build({ tools, toolChoice: { type: 'none' } }).body;
    assert.deepEqual(none.tool_choice, { type: 'none' });
    assert.equal((none.tools as unknown[]).length, 2);
    assert.deepEqual(build({ tools, toolChoice: { type: 'required' } }).body.tool_choice, { type: 'any' });
    assert.deepEqual(build({ tools, toolChoice: { type: 'function', name: 'weather' } }).body.tool_choice, {
      type: 'tool',
      name: 'weather',
    });
  });

  test('parallel_tool_calls false → disable_parallel_tool_use (not on none)', () => {
    assert.deepEqual(build({ tools, parallelToolCalls: false }).body.tool_choice, {
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    assert.deepEqual(build({ tools, parallelToolCalls: false, toolChoice: { type: 'required' } }).body.tool_choice, {
      type: 'any',
      disable_parallel_tool_use: true,
    });
    assert.deepEqual(build({ tools, parallelToolCalls: false, toolChoice: { type: 'none' } }).body.tool_choice, {
      type: 'none',
    });
    assert.equal(build({ tools, parallelToolCalls: true }).body.tool_choice, undefined);
  });

  test('strict: kept on models with strict tool use, dropped with a warning on older ones', () => {
    const strictTools: ToolDefinition[] = [{ type: 'function', name: 'weather', strict: true }];
    assert.equal((build({ tools: strictTools }).body.tools as Array<{ strict?: boolean }>)[0]?.strict, true);
    const old = build({ tools: strictTools }, testTarget('claude-3-5-haiku-20241022'));
    assert.equal((old.body.tools as Array<{ strict?: boolean }>)[0]?.strict, undefined);
    assert.ok(
      old.warnings.some((w) => w.includes('strict')),
      "old.warnings.some((w) => w.includes('strict'))",
    );
  });

  test('tool history without tools → the used tools are declared with tool_choice none', () => {
    const { body, warnings } = build({
      messages: [user('x'), { role: 'assistant', parts: [call('t1', 'lookup', '{}')] }, toolResult('t1', 'ok')],
    });
    assert.deepEqual(body.tools, [
      { name: 'lookup', description: 'Tool used earlier in this conversation.', input_schema: { type: 'object' } },
    ]);
    assert.deepEqual(body.tool_choice, { type: 'none' });
    assert.equal(warnings.length, 1);
  });

  test('a client tool may not use the reserved JSON tool name', () => {
    assert.throws(() => build({ tools: [{ type: 'function', name: 'llmux_json_response' }] }), {
      param: 'tools[0].function.name',
    });
  });
});
