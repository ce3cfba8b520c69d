import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import { validateMessagesRequest } from './validate-request.ts';

const base = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

function rejects(body: unknown, param: string, message?: RegExp): void {
  assert.throws(
    () => validateMessagesRequest(body),
    (error: unknown) => {
      assert.ok(error instanceof GatewayError, 'a GatewayError');
      assert.equal(error.status, 400, 'status 400');
      assert.equal(error.param, param, 'names the field');
      assert.ok(error.message.startsWith(`${param}: `), `message starts with the path: ${error.message}`);
      if (message) assert.match(error.message, message);
      return true;
    },
  );
}

describe('validateMessagesRequest', () => {
  it('accepts every documented field', () => {
    assert.doesNotThrow(() =>
      validateMessagesRequest({
        ...base,
        system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral', ttl: '1h' } }],
        messages: [
          {
            role: 'user',
            content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'x' } }],
          },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 't', signature: 's' },
              { type: 'redacted_thinking', data: 'd' },
              { type: 'tool_use', id: 'i', name: 'n', input: {} },
            ],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'i', content: [{ type: 'text', text: 'r' }] }],
          },
        ],
        stop_sequences: ['x'],
        temperature: 1,
        top_p: 0.5,
        top_k: 3,
        stream: false,
        metadata: { user_id: 'u' },
        service_tier: 'auto',
        tools: [
          { name: 'n', input_schema: { type: 'object' }, defer_loading: true },
          { type: 'bash_20250124', name: 'bash' },
        ],
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        thinking: { type: 'adaptive', display: 'omitted' },
        output_config: { effort: 'high' },
        context_management: { edits: [] },
      }),
    );
    assert.doesNotThrow(() =>
      validateMessagesRequest({ ...base, max_tokens: undefined }, { maxTokensRequired: false }),
    );
  });

  it('names the first bad field in Anthropic words', () => {
    rejects({ ...base, model: undefined }, 'model', /Field required/);
    rejects({ ...base, max_tokens: undefined }, 'max_tokens', /Field required/);
    rejects({ ...base, max_tokens: 1.5 }, 'max_tokens', /valid integer/);
    rejects({ ...base, messages: 'hi' }, 'messages', /valid list/);
    rejects({ ...base, messages: [{ role: 'tool', content: 'x' }] }, 'messages.0.role');
    rejects({ ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages.0.content.0.text');
    rejects(
      { ...base, messages: [{ role: 'user', content: [{ type: 'thinking', thinking: 't' }] }] },
      'messages.0.content.0.signature',
    );
    rejects(
      {
        ...base,
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'i', content: [{ type: 'image', source: {} }] }],
          },
        ],
      },
      'messages.0.content.0.content.0.source.type',
    );
    rejects({ ...base, temperature: 1.5 }, 'temperature', /less than or equal to 1/);
    rejects({ ...base, stop_sequences: [1] }, 'stop_sequences.0');
    rejects({ ...base, system: [{ type: 'image' }] }, 'system.0.type');
    rejects({ ...base, tools: [{ name: 'f' }] }, 'tools.0.input_schema');
    rejects({ ...base, tool_choice: { type: 'tool' } }, 'tool_choice.name');
    rejects({ ...base, thinking: { type: 'enabled', budget_tokens: 10 } }, 'thinking.budget_tokens');
    rejects({ ...base, metadata: { user_id: 5 } }, 'metadata.user_id');
    rejects({ ...base, service_tier: 'priority' }, 'service_tier');
    rejects(
      { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'x' } }] }] },
      'messages.0.content.0.cache_control.type',
    );
  });
});
