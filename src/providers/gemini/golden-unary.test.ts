/**
 * Golden tests: every recorded non-streaming Gemini body (vercel-ai, Firebase mocks, pydantic-ai
 * cassettes, js-genai recordings) through parseResponse (or parseError), checked as OpenAI output.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FB, UNARY } from '../../../test/support/providers/gemini/golden-unary-expectations.ts';
import { geminiTarget, recordedUnaryBodies } from '../../../test/support/providers/gemini/test-helpers.ts';
import type { OpenAIChatCompletion } from '../../protocols/openai-chat.ts';
import { toOpenAIChatCompletion } from '../../surfaces/openai-chat/render-response.ts';
import { geminiAdapter } from './index.ts';

function render(body: string): OpenAIChatCompletion {
  return toOpenAIChatCompletion(geminiAdapter.parseResponse(JSON.parse(body) as unknown, geminiTarget()));
}

describe('Gemini golden responses', () => {
  const bodies = recordedUnaryBodies();

  it('covers every recorded non-streaming Gemini response', () => {
    assert.deepEqual([...bodies.keys()].sort(), Object.keys(UNARY).sort());
  });

  for (const [key, expected] of Object.entries(UNARY)) {
    it(key, () => {
      const completion = render(bodies.get(key) ?? '');
      assert.equal(completion.object, 'chat.completion');
      assert.ok(completion.id);
      assert.equal(completion.choices.length, 1);
      const choice = completion.choices[0];
      assert.ok(choice);
      assert.equal(choice.index, 0);
      assert.equal(choice.finish_reason, expected.finish);
      assert.equal(choice.logprobs, null);
      const { message } = choice;
      if (expected.content !== null && typeof expected.content === 'object') {
        assert.ok(String(message.content).startsWith(expected.content.startsWith), String(message.content));
      } else {
        assert.equal(message.content, expected.content);
      }
      const calls = message.tool_calls ?? [];
      assert.deepEqual(
        calls.map((call) => call.function.name + call.function.arguments),
        expected.tools ?? [],
      );
      assert.equal(calls.filter((call) => call.signature).length, expected.signedTools ?? 0);
      for (const call of calls) assert.match(call.id, /^call_[0-9a-f]{24}$/);
      assert.equal(new Set(calls.map((call) => call.id)).size, calls.length);
      if (expected.reasoning) assert.ok(String(message.reasoning_content).startsWith(expected.reasoning));
      else assert.equal(message.reasoning_content, undefined);
      assert.equal((message.reasoning_details ?? []).filter((d) => d.signature).length, expected.signatures ?? 0);
      assert.equal(message.annotations?.length, expected.annotations ?? 0);
      if (expected.usage) {
        const [prompt, output, total, cached, reasoning] = expected.usage;
        assert.deepEqual(
          [
            completion.usage?.prompt_tokens,
            completion.usage?.completion_tokens,
            completion.usage?.total_tokens,
            completion.usage?.prompt_tokens_details?.cached_tokens,
            completion.usage?.completion_tokens_details?.reasoning_tokens,
          ],
          [prompt, output, total, cached, reasoning],
        );
      } else {
        assert.equal(completion.usage, undefined);
      }
    });
  }

  it('citations become url_citation annotations with their indexes', () => {
    const completion = render(bodies.get(`${FB}/googleai/unary-success-citations.json`) ?? '');
    assert.deepEqual(completion.choices[0]?.message.annotations?.[0], {
      type: 'url_citation',
      url_citation: { url: 'https://www.example.com/some-citation-1', title: '', start_index: 548, end_index: 690 },
    });
  });

  it('usage keeps the raw usageMetadata and audio counts', () => {
    const result = geminiAdapter.parseResponse(
      JSON.parse(
        bodies.get('gemini/pydantic-ai/test_google_model_mobile_youtube_video_url_input.yaml#0') ?? '',
      ) as unknown,
      geminiTarget(),
    );
    assert.equal(result.usage?.audioInputTokens, 1917);
    assert.equal(result.usage?.estimated, false);
    assert.ok(result.usage?.raw);
  });
});
