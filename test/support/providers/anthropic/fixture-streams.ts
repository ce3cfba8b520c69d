/** Every recorded Anthropic stream in test/fixtures, as the bytes the API sent (test-only). */
import { loadCassette, loadChunksAsSse, loadRawSse } from '../../fixtures.ts';

export const VA = 'anthropic/vercel-ai';
export const SDK = 'anthropic/anthropic-sdk-typescript';
export const PA = 'anthropic/pydantic-ai';

/** Every streaming recording: vercel-ai payload lines framed as SSE, raw SSE files, cassette bodies. */
export const STREAM_FIXTURES: Record<string, () => Buffer> = {
  'anthropic-text': () => loadChunksAsSse(`${VA}/anthropic-text.chunks.txt`, 'anthropic'),
  'tool-no-args': () => loadChunksAsSse(`${VA}/anthropic-tool-no-args.chunks.txt`, 'anthropic'),
  'clear-thinking': () => loadChunksAsSse(`${VA}/anthropic-clear-thinking.1.chunks.txt`, 'anthropic'),
  'parallel-tools-15652': () => loadChunksAsSse(`${VA}/anthropic-issue-15652-false.chunks.txt`, 'anthropic'),
  'json-tool-parallel-15652': () =>
    loadChunksAsSse(`${VA}/anthropic-issue-15652-json-tool-parallel.chunks.txt`, 'anthropic'),
  'cache-read-5942': () => loadChunksAsSse(`${VA}/anthropic-issue-5942-cache-read.chunks.txt`, 'anthropic'),
  'cache-write-5942': () => loadChunksAsSse(`${VA}/anthropic-issue-5942-cache-write.chunks.txt`, 'anthropic'),
  'message-delta-input-tokens': () =>
    loadChunksAsSse(`${VA}/anthropic-message-delta-input-tokens.chunks.txt`, 'anthropic'),
  'json-tool-2': () => loadChunksAsSse(`${VA}/anthropic-json-tool.2.chunks.txt`, 'anthropic'),
  'quoted-tool-input-11719': () =>
    loadChunksAsSse(`${VA}/anthropic-issue-11719-quoted-tool-input.chunks.txt`, 'anthropic'),
  'json-output-format': () => loadChunksAsSse(`${VA}/anthropic-json-output-format.1.chunks.txt`, 'anthropic'),
  'web-search': () => loadChunksAsSse(`${VA}/anthropic-web-search-tool.1.chunks.txt`, 'anthropic'),
  'sonnet-5-reasoning': () =>
    loadChunksAsSse(`${VA}/anthropic-claude-sonnet-5-reasoning-summarized.chunks.txt`, 'anthropic'),
  'empty-schema-forced-tool-11674': () =>
    loadChunksAsSse(`${VA}/anthropic-issue-11674-empty-schema-forced-tool-call.1.chunks.txt`, 'anthropic'),
  'sdk-tool-use': () => loadRawSse(`${SDK}/tool_use_response.txt`),
  'sdk-incomplete-partial-json': () => loadRawSse(`${SDK}/incomplete_partial_json_response.txt`),
  'sdk-basic': () => loadRawSse(`${SDK}/basic_response.txt`),
  'cassette-thinking': () => cassetteStream(`${PA}/test_anthropic_model_thinking_part_stream.yaml`),
  'cassette-redacted-thinking': () => cassetteStream(`${PA}/test_anthropic_model_thinking_part_redacted_stream.yaml`),
  'cassette-high-max-tokens': () => cassetteStream(`${PA}/test_request_stream_fallback_for_high_max_tokens.yaml`),
  'derived-thinking': () =>
    loadRawSse('derived-sse/anthropic__test_anthropic_model_thinking_part_stream.interaction0.sse'),
  'derived-redacted-thinking': () =>
    loadRawSse('derived-sse/anthropic__test_anthropic_model_thinking_part_redacted_stream.interaction0.sse'),
  'derived-high-max-tokens': () =>
    loadRawSse('derived-sse/anthropic__test_request_stream_fallback_for_high_max_tokens.interaction0.sse'),
};

function cassetteStream(rel: string): Buffer {
  const interaction = loadCassette(rel).interactions.find((entry) => entry.response.streaming);
  if (!interaction) throw new Error(`${rel}: no streaming interaction`);
  return interaction.response.body;
}
