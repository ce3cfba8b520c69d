import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claudeCodeRequests } from '../../../test/support/anthropic-surface.ts';
import { GatewayError } from '../../core/errors.ts';
import type { ChatRequest } from '../../core/types.ts';
import { fromAnthropicMessagesRequest } from './to-canonical.ts';
import { validateMessagesRequest } from './validate-request.ts';

const canonical = (body: unknown): ChatRequest => fromAnthropicMessagesRequest(validateMessagesRequest(body));
const base = { model: 'm', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

describe('Anthropic Messages → canonical', () => {
  it("Claude Code's tool turn with signed thinking: system first, thinking kept (its foreign signature dropped), tool result named", () => {
    const turn = claudeCodeRequests('04-tool-read-with-thinking')[1];
    assert.ok(turn, 'the second recorded turn');
    const request = canonical(JSON.parse(turn.body));
    assert.equal(request.messages[0]?.role, 'system', 'system blocks first');
    const systemParts = request.messages[0]?.parts ?? [];
    assert.ok(
      systemParts.some((part) => part.type === 'text' && part.cache?.type === 'ephemeral'),
      'cache hints kept',
    );
    assert.ok(request.messages.filter((m) => m.role === 'system').length >= 2, 'the role: system entry kept as system');
    const assistant = request.messages.find((m) => m.role === 'assistant');
    const reasoning = assistant?.parts[0];
    assert.ok(reasoning?.type === 'reasoning' && reasoning.text.length > 0, 'the thinking first');
    // The recorder's signature is not llmux's carrier: no translated provider could verify it.
    assert.equal(reasoning.signature, undefined, 'a signature llmux did not write is dropped');
    const call = assistant?.parts.find((part) => part.type === 'tool-call');
    assert.ok(call?.type === 'tool-call', 'the tool call');
    const result = request.messages.find((m) => m.role === 'tool')?.parts[0];
    assert.ok(result?.type === 'tool-result', 'a tool message');
    assert.equal(result.toolCallId, call.id, 'answers the call');
    assert.equal(result.name, call.name, 'named after the call');
    assert.equal(request.reasoning?.effort, 'medium', 'adaptive thinking with output_config.effort medium');
    assert.ok(request.extraFields?.context_management, 'context_management carried for the target to judge');
    assert.ok((request.tools ?? []).length >= 10, 'tools');
  });

  it('maps sampling, stop, tool choice, metadata, service tier and output format', () => {
    const request = canonical({
      ...base,
      stream: true,
      temperature: 0.3,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ['X'],
      tool_choice: { type: 'tool', name: 'f', disable_parallel_tool_use: true },
      tools: [
        {
          name: 'f',
          description: 'd',
          input_schema: { type: 'object' },
          cache_control: { type: 'ephemeral', ttl: '1h' },
        },
      ],
      metadata: { user_id: 'u1' },
      service_tier: 'standard_only',
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
      thinking: { type: 'enabled', budget_tokens: 20000 },
    });
    assert.equal(request.stream, true);
    assert.equal(request.includeUsage, true);
    assert.equal(request.maxOutputTokens, 100);
    assert.deepEqual([request.temperature, request.topP, request.topK], [0.3, 0.9, 5]);
    assert.deepEqual(request.stop, ['X']);
    assert.deepEqual(request.toolChoice, { type: 'function', name: 'f' });
    assert.equal(request.parallelToolCalls, false);
    assert.deepEqual(request.tools, [
      {
        type: 'function',
        name: 'f',
        description: 'd',
        parameters: { type: 'object' },
        cache: { type: 'ephemeral', ttl: '1h' },
      },
    ]);
    assert.equal(request.user, 'u1');
    assert.equal(request.serviceTier, 'default');
    assert.deepEqual(request.responseFormat, {
      type: 'json_schema',
      name: 'response',
      schema: { type: 'object' },
      strict: true,
    });
    assert.deepEqual(request.reasoning, { budgetTokens: 20000, effort: 'high', includeThoughts: true });
    assert.equal(request.extraFields, undefined, 'nothing left over');
  });

  it('documents, images, redacted thinking and a text-only tool turn', () => {
    const request = canonical({
      ...base,
      system: 'sys',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'document', title: 'a.txt', source: { type: 'text', media_type: 'text/plain', data: 'hello' } },
            { type: 'document', source: { type: 'url', url: 'https://x/a.pdf' } },
            { type: 'image', source: { type: 'url', url: 'https://x/a.png' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'redacted_thinking', data: 'abc' },
            { type: 'text', text: 'ok' },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true }] },
      ],
    });
    assert.deepEqual(request.messages[0], { role: 'system', parts: [{ type: 'text', text: 'sys' }] });
    assert.deepEqual(request.messages[1]?.parts, [
      { type: 'file', filename: 'a.txt', data: Buffer.from('hello').toString('base64'), mediaType: 'text/plain' },
      { type: 'file', url: 'https://x/a.pdf', mediaType: 'application/pdf' },
      { type: 'image', url: 'https://x/a.png' },
    ]);
    assert.deepEqual(request.messages[2]?.parts[0], { type: 'reasoning', text: '', redactedData: 'abc' });
    assert.deepEqual(request.messages[3], {
      role: 'tool',
      parts: [{ type: 'tool-result', toolCallId: 't1', content: '', isError: true }],
    });
    assert.equal(request.messages.length, 4, 'no empty user message after a tool result');
  });

  it('refuses what only Anthropic can run, naming it', () => {
    const refused: [unknown, string][] = [
      [{ ...base, tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools.0'],
      [
        { ...base, messages: [{ role: 'user', content: [{ type: 'search_result', source: 's' }] }] },
        'messages.0.content.0',
      ],
      [
        { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }] },
        'messages.0.content.0.source',
      ],
    ];
    for (const [body, param] of refused) {
      assert.throws(
        () => canonical(body),
        (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === param,
        param,
      );
    }
  });
});
