/**
 * Every recorded Anthropic stream, parsed by the Anthropic adapter into canonical events and
 * rendered again by the Anthropic Messages surface, reads the same to a client: the same blocks
 * in the same order (type, text, thinking and signature, redacted data, tool id, name and input),
 * the same stop reason and usage, each block started and stopped, events in Anthropic's order.
 * (What a translated deployment's client gets is this renderer's output.) A translated thinking
 * block's signature is llmux's carrier (signature-carrier.ts): it must carry the recorded one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnthropicEventRenderer } from '../src/surfaces/anthropic-messages/render-stream.ts';
import { carriedThinkingSignature } from '../src/surfaces/anthropic-messages/signature-carrier.ts';
import { STREAM_FIXTURES } from './support/providers/anthropic/fixture-streams.ts';
import { parseStream } from './support/providers/anthropic/test-helpers.ts';

interface BlockSummary {
  type: string;
  text: string;
  id?: string;
  name?: string;
}

/** The fields of an Anthropic stream event this test reads. */
interface WireEvent {
  type: string;
  index: number;
  content_block: { type: string; text?: string; thinking?: string; data?: string; id?: string; name?: string };
  delta?: { text?: string; thinking?: string; partial_json?: string; signature?: string; stop_reason?: string };
  usage?: { output_tokens?: number };
}

interface StreamSummary {
  names: string[];
  blocks: BlockSummary[];
  stopReason: unknown;
  outputTokens: unknown;
}

/** Client-side types llmux renders (server-tool blocks and llmux's JSON tool are not round-tripped). */
const CLIENT_BLOCKS = new Set(['text', 'thinking', 'redacted_thinking', 'tool_use']);
/** Fixtures with blocks the canonical model folds (server tools, the JSON response tool, cut streams). */
const NOT_ROUND_TRIPPED = new Set(['web-search', 'json-tool-parallel-15652', 'json-tool-2', 'json-output-format']);

function summarize(sse: string): StreamSummary {
  const summary: StreamSummary = { names: [], blocks: [], stopReason: undefined, outputTokens: undefined };
  const open = new Map<number, BlockSummary>();
  for (const frame of sse.split(/\r?\n\r?\n/)) {
    const data = frame.split(/\r?\n/).find((line) => line.startsWith('data:'));
    if (!data) continue;
    const event = JSON.parse(data.slice(5)) as WireEvent;
    summary.names.push(event.type);
    if (event.type === 'content_block_start') {
      const block = event.content_block;
      if (!CLIENT_BLOCKS.has(block.type)) continue;
      const summaryBlock: BlockSummary = { type: block.type, text: block.text ?? block.thinking ?? block.data ?? '' };
      if (block.id !== undefined) summaryBlock.id = block.id;
      if (block.name !== undefined) summaryBlock.name = block.name;
      open.set(event.index, summaryBlock);
      summary.blocks.push(summaryBlock);
    } else if (event.type === 'content_block_delta') {
      const block = open.get(event.index);
      const delta = event.delta ?? {};
      if (!block) continue;
      block.text += delta.text ?? delta.thinking ?? delta.partial_json ?? '';
      if (delta.signature) block.text += `|sig:${carriedThinkingSignature(delta.signature) ?? delta.signature}`;
    } else if (event.type === 'message_delta') {
      summary.stopReason = event.delta?.stop_reason;
      summary.outputTokens = event.usage?.output_tokens;
    }
  }
  for (const block of summary.blocks) {
    if (block.type === 'tool_use') block.text = normalizedInput(block.text);
  }
  return summary;
}

/** Tool input JSON re-serialized (whitespace differs); input the stream cut short stays as text. */
function normalizedInput(text: string): string {
  if (text.trim() === '') return '{}';
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

function render(body: Buffer): string {
  const renderer = new AnthropicEventRenderer({ id: 'msg_test', model: 'claude-test' });
  return (
    parseStream(body)
      .map((event) => renderer.render(event))
      .join('') + renderer.end()
  );
}

describe('Anthropic streams → canonical → Anthropic Messages surface (round trip)', () => {
  for (const [name, load] of Object.entries(STREAM_FIXTURES)) {
    if (NOT_ROUND_TRIPPED.has(name)) continue;
    it(`${name}: same blocks, stop reason and usage`, () => {
      const original = summarize(load().toString('utf8'));
      const rendered = summarize(render(load()));
      assert.deepEqual(rendered.blocks, original.blocks, 'blocks');
      if (original.stopReason !== undefined) assert.equal(rendered.stopReason, original.stopReason, 'stop reason');
      if (typeof original.outputTokens === 'number')
        assert.equal(rendered.outputTokens, original.outputTokens, 'usage');
      assert.deepEqual(rendered.names.slice(0, 2), ['message_start', 'ping'], 'message_start first');
      assert.deepEqual(rendered.names.slice(-2), ['message_delta', 'message_stop'], 'ends like Anthropic');
      const starts = rendered.names.filter((n) => n === 'content_block_start').length;
      const stops = rendered.names.filter((n) => n === 'content_block_stop').length;
      assert.equal(starts, stops, 'every block started is stopped');
    });
  }
});
