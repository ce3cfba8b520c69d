/** The carriers of provider signatures through an Anthropic client: thinking blocks and tool_use ids. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest, ChatResult } from '../../core/types.ts';
import { toAnthropicMessage } from './render-response.ts';
import { AnthropicEventRenderer } from './render-stream.ts';
import { carriedThinkingSignature, splitToolUseId, thinkingSignature, toolUseId } from './signature-carrier.ts';
import { fromAnthropicMessagesRequest } from './to-canonical.ts';
import { validateMessagesRequest } from './validate-request.ts';

const GEMINI_SIGNATURE =
  'EskgCsYgAb4+9vtF7/499YQS2bjZs3xcQI+iAl+ILn29nK1j0Kg6su7QsUUUk3nrAAfnS2w5WiVvlcCqu9fAebJ2cvfaEyBahEt5';

describe('signature carriers', () => {
  it('a thinking signature round trips; one llmux did not write, or a broken one, is dropped', () => {
    const carried = thinkingSignature(GEMINI_SIGNATURE);
    assert.ok(carried.startsWith('llmux1.'), 'recognisable');
    assert.equal(carriedThinkingSignature(carried), GEMINI_SIGNATURE, 'restored');
    assert.equal(carriedThinkingSignature(thinkingSignature(undefined)), undefined, 'nothing carried');
    assert.equal(carriedThinkingSignature('ErUBCkYIBRgCIkB-claude-signature'), undefined, "Claude's dropped");
    assert.equal(carriedThinkingSignature('llmux1.%%%'), undefined, 'a broken carrier dropped');
    assert.equal(
      carriedThinkingSignature(`llmux1.${Buffer.from('[1]').toString('base64url')}`),
      undefined,
      'not an object',
    );
  });

  it('a tool_use id carries its call signature within Anthropic id characters', () => {
    const id = toolUseId('call_abc', GEMINI_SIGNATURE);
    assert.match(id, /^[a-zA-Z0-9_-]+$/, "Anthropic's id pattern");
    assert.deepEqual(splitToolUseId(id), { id: 'call_abc', signature: GEMINI_SIGNATURE }, 'split back');
    assert.equal(toolUseId('toolu_1', undefined), 'toolu_1', 'no signature, the id as is');
    assert.deepEqual(splitToolUseId('toolu_1'), { id: 'toolu_1', signature: undefined }, 'a plain id');
  });

  it('rendered answers carry the signatures and the next turn restores them', () => {
    const result: ChatResult = {
      id: 'x',
      model: 'gemini-3-pro-preview',
      created: 0,
      choices: [
        {
          index: 0,
          text: null,
          refusal: null,
          reasoning: [{ type: 'reasoning', text: 'Thinking.', signature: 'thought-sig' }],
          toolCalls: [
            { type: 'tool-call', id: 'call_1', name: 'weather', arguments: '{}', signature: GEMINI_SIGNATURE },
          ],
          citations: [],
          logprobs: null,
          finishReason: { unified: 'tool_calls', raw: 'STOP' },
        },
      ],
    };
    const message = toAnthropicMessage(result, { id: 'msg_1', model: 'm' });
    const content = message.content as Array<Record<string, unknown>>;
    const request: ChatRequest = fromAnthropicMessagesRequest(
      validateMessagesRequest({
        model: 'm',
        max_tokens: 10,
        messages: [
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: content[1]?.id, content: 'Sunny' }] },
        ],
      }),
    );
    const assistant = request.messages.find((m) => m.role === 'assistant');
    assert.deepEqual(
      assistant?.parts,
      [
        { type: 'reasoning', text: 'Thinking.', signature: 'thought-sig' },
        { type: 'tool-call', id: 'call_1', name: 'weather', arguments: '{}', signature: GEMINI_SIGNATURE },
      ],
      'both signatures restored, the call under its own id',
    );
    const tool = request.messages.find((m) => m.role === 'tool')?.parts[0];
    assert.ok(tool?.type === 'tool-result' && tool.toolCallId === 'call_1', 'the result answers the call id');
  });

  it('a stream ends every thinking block with a carrier, and carries the call signature in its id', () => {
    const renderer = new AnthropicEventRenderer({ id: 'msg_1', model: 'm' });
    let out = '';
    out += renderer.render({ type: 'reasoning-delta', choice: 0, text: 'Hmm.' });
    out += renderer.render({ type: 'tool-call-start', choice: 0, index: 0, id: 'call_1', name: 'f', signature: 'S' });
    out += renderer.end();
    const frames = [...out.matchAll(/^data: (.*)$/gm)].map((match) => JSON.parse(match[1] as string));
    const signature = frames.find((frame) => frame.delta?.type === 'signature_delta');
    assert.equal(signature?.delta.signature, thinkingSignature(undefined), 'an unsigned thinking block gets a carrier');
    const start = frames.find((frame) => frame.content_block?.type === 'tool_use');
    assert.deepEqual(splitToolUseId(start?.content_block.id), { id: 'call_1', signature: 'S' }, 'the id carries it');
  });
});
