import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAgainstSpec } from '../../../test/support/providers/anthropic/spec-check.ts';

test('the spec check accepts a minimal body and catches what the spec forbids', () => {
  const ok = { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };
  assert.deepEqual(checkAgainstSpec(ok), []);
  const bad = {
    model: 'm',
    max_tokens: 1,
    frequency_penalty: 1,
    messages: [
      { role: 'user', content: [{ type: 'text', text: '' }] },
      { role: 'user', content: [{ type: 'audio', data: 'x' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'a b', name: 'f', input: [] }] },
    ],
    tools: [{ name: 'f', input_schema: { type: 'array' }, parameters: {} }],
    tool_choice: { type: 'required' },
    metadata: { session: 'x' },
  };
  assert.deepEqual(checkAgainstSpec(bad), [
    'frequency_penalty: not a create-message field',
    'messages[0].content[0].text: must be a non-empty string',
    'messages[1]: same role twice',
    'messages[1].content[0]: unknown block type audio',
    'messages[2].content[0].id: bad id',
    'messages[2].content[0].input: must be an object',
    'tools[0].parameters: not a tool field',
    'tools[0].input_schema.type: must be object',
    'tool_choice.type: unknown required',
    'metadata.session: unknown',
  ]);
});
