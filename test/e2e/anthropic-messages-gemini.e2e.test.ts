/**
 * Claude Code's recorded tool loop (signed thinking, a tool result) and the `@anthropic-ai/sdk`
 * → llmux's Anthropic Messages surface → a Gemini deployment: translated both ways.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  type AnthropicSurfaceSetup,
  claudeCodeRequests,
  eventNames,
  jsonOf,
  replayClaudeCode,
  startAnthropicSurface,
} from '../support/anthropic-surface.ts';

const MODEL = 'gemini-model';

/** One Gemini SSE chunk. */
const chunk = (data: Record<string, unknown>): string => `data: ${JSON.stringify(data)}\r\n\r\n`;

function functionCallFrames(): string[] {
  return [
    chunk({ candidates: [{ content: { role: 'model', parts: [{ text: 'Reading it.' }] } }] }),
    chunk({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ functionCall: { name: 'Read', args: { file_path: '/tmp/notes.txt' } } }],
          },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 9, totalTokenCount: 59 },
    }),
  ];
}

describe('Anthropic Messages surface → Gemini deployment (translated)', () => {
  let setup: AnthropicSurfaceSetup;

  before(async () => {
    setup = await startAnthropicSurface();
  });
  after(() => setup.close());
  afterEach(() => {
    assert.equal(setup.google.pendingSteps(), 0, 'every scripted upstream step was used');
    setup.google.reset();
  });

  it('messages.stream: text then a tool_use block with its input', async () => {
    setup.google.enqueue({ kind: 'sse-events', events: functionCallFrames() });
    const message = await setup.anthropic.messages
      .stream({
        model: MODEL,
        max_tokens: 500,
        tools: [{ name: 'Read', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } }],
        messages: [{ role: 'user', content: 'Read /tmp/notes.txt' }],
      })
      .finalMessage();
    assert.equal(message.content[0]?.type, 'text');
    const tool = message.content[1];
    assert.ok(tool?.type === 'tool_use', 'a tool_use block');
    assert.equal(tool.name, 'Read');
    assert.deepEqual(tool.input, { file_path: '/tmp/notes.txt' });
    assert.equal(message.stop_reason, 'tool_use');
    assert.equal(message.usage.input_tokens, 50);
    assert.match(setup.google.requests.at(-1)?.path ?? '', /gemini-2\.5-flash:streamGenerateContent/);
  });

  it("Claude Code's recorded turns are served; the tool result goes back as a named functionResponse", async () => {
    for (const turn of claudeCodeRequests('04-tool-read-with-thinking')) {
      setup.google.enqueue({ kind: 'sse-events', events: functionCallFrames() });
      const body = JSON.stringify({ ...JSON.parse(turn.body), model: MODEL });
      const response = await replayClaudeCode(setup, turn, body);
      const text = await response.text();
      assert.equal(response.status, 200, text.slice(0, 300));
      const names = eventNames(text);
      assert.deepEqual(names.slice(0, 3), ['message_start', 'ping', 'content_block_start']);
      assert.deepEqual(names.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
    }
    const contents = jsonOf(setup.google).contents as { role: string; parts: Record<string, unknown>[] }[];
    const response = contents.flatMap((content) => content.parts).find((part) => part.functionResponse);
    assert.ok(response, 'a functionResponse part');
    assert.equal((response.functionResponse as { name?: string }).name, 'Read', 'named after the tool_use');
  });
});
