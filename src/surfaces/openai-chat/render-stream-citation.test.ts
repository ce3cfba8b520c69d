import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenAIChunkRenderer } from './render-stream.ts';

test('streamed citations render as delta.annotations url_citation entries', () => {
  const renderer = new OpenAIChunkRenderer(false, { id: 'chatcmpl-1', model: 'm', created: 1 });
  const frame = renderer.render({
    type: 'citation',
    choice: 0,
    citation: { url: 'https://example.com/a', title: 'A', startIndex: 3, endIndex: 9 },
  });
  const chunk = JSON.parse(frame.replace(/^data: /, '')) as { choices: Array<{ delta: { annotations?: unknown } }> };
  assert.deepEqual(chunk.choices[0]?.delta.annotations, [
    { type: 'url_citation', url_citation: { url: 'https://example.com/a', title: 'A', start_index: 3, end_index: 9 } },
  ]);
});
