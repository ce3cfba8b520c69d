/**
 * Golden tests: every recorded Gemini stream in test/fixtures (vercel-ai chunks, Firebase mocks,
 * pydantic-ai raw SSE via derived-sse, js-genai recordings) → adapter → OpenAI output, field by field.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { atLeast, listFixtures, loadJsGenaiRecording } from '../../../test/support/fixtures.ts';
import { STREAMS } from '../../../test/support/providers/gemini/golden-stream-expectations.ts';
import {
  chunksOf,
  completionOf,
  foldChunks,
  recordedStreamFixtures,
  runStream,
  streamBody,
} from '../../../test/support/providers/gemini/test-helpers.ts';
import { splitSseFrames } from '../../../test/support/replay-common.ts';

/** Independent oracle for the content: the non-thought text parts of every payload, in order. */
function recordedText(body: Buffer): string {
  let text = '';
  for (const frame of splitSseFrames(body)) {
    const data = frame.replace(/^data: ?/, '').trim();
    if (!data.startsWith('{') || data.includes('"error"')) continue;
    const payload = JSON.parse(data) as {
      candidates?: Array<{ content?: { parts?: Array<{ text?: string; thought?: boolean }> } }>;
    };
    for (const part of payload.candidates?.[0]?.content?.parts ?? [])
      if (part.thought !== true) text += part.text ?? '';
  }
  return text;
}

describe('Gemini golden streams', () => {
  it('covers every recorded Gemini stream', () => {
    assert.deepEqual(Object.keys(STREAMS).sort(), recordedStreamFixtures().sort());
  });

  for (const [rel, expected] of Object.entries(STREAMS)) {
    it(rel, () => {
      const body = streamBody(rel);
      const run = runStream([body]);
      assert.equal(run.error, undefined, run.error?.message);
      const completion = completionOf(run.events);
      assert.equal(completion.object, 'chat.completion');
      assert.ok(completion.id, 'id');
      assert.ok(completion.model.startsWith('gemini') || completion.model.startsWith('gemma'), completion.model);
      assert.equal(completion.choices.length, 1);
      const choice = completion.choices[0];
      assert.ok(choice);
      assert.equal(choice.index, 0);
      assert.equal(choice.finish_reason, expected.finish);
      const message = choice.message;
      assert.equal(message.role, 'assistant');
      assert.equal(message.refusal, null);
      if (expected.content !== undefined) assert.equal(message.content, expected.content);
      if (expected.contentLength !== undefined) assert.equal(message.content?.length, expected.contentLength);
      if (typeof message.content === 'string' && message.content !== '')
        assert.equal(message.content, recordedText(body));
      const tools = (message.tool_calls ?? []).map((call) => [
        call.function.name,
        call.function.arguments,
        call.signature !== undefined,
      ]);
      assert.deepEqual(tools, expected.tools ?? []);
      for (const call of message.tool_calls ?? []) {
        assert.match(call.id, /^call_[0-9a-f]{24}$/);
        assert.equal(call.type, 'function');
      }
      if (expected.reasoning !== undefined) assert.ok(String(message.reasoning_content).startsWith(expected.reasoning));
      else assert.equal(message.reasoning_content, undefined);
      const signatures = (message.reasoning_details ?? []).filter((detail) => detail.signature).length;
      assert.equal(signatures, expected.signatures ?? 0);
      assert.equal(message.annotations?.length ?? 0, expected.annotations ?? 0);
      const usage = completion.usage;
      if (expected.usage) {
        assert.ok(usage);
        const [prompt, completionTokens, total, cached, reasoning] = expected.usage;
        assert.equal(usage.prompt_tokens, prompt);
        assert.equal(usage.completion_tokens, completionTokens);
        assert.equal(usage.total_tokens, total);
        assert.equal(usage.prompt_tokens_details?.cached_tokens, cached);
        assert.equal(usage.completion_tokens_details?.reasoning_tokens, reasoning);
      } else {
        assert.equal(usage, undefined);
      }
      const errors = run.events.filter((event) => event.type === 'error');
      assert.deepEqual(
        errors.map(({ error }) => ({ code: error.code, status: error.status, message: error.message })),
        expected.midStreamError ? [expected.midStreamError] : [],
      );
    });
  }

  it('streamed chunks fold to the same answer as the non-streaming rendering', () => {
    for (const rel of Object.keys(STREAMS)) {
      const events = runStream([streamBody(rel)]).events;
      const completion = completionOf(events);
      const chunks = chunksOf(events);
      const folded = foldChunks(chunks);
      const choice = completion.choices[0];
      const streamed = folded.get(0);
      assert.ok(choice && streamed, rel);
      assert.equal(streamed.content, choice.message.content ?? '', rel);
      assert.equal(streamed.reasoning, choice.message.reasoning_content ?? '', rel);
      assert.equal(streamed.finish, choice.finish_reason, rel);
      assert.deepEqual(
        streamed.tools,
        (choice.message.tool_calls ?? []).map((call) => ({
          id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        })),
        rel,
      );
      for (const chunk of chunks) {
        assert.equal(chunk.object, 'chat.completion.chunk');
        assert.equal(chunk.id, completion.id, rel);
      }
      const first = chunks[0]?.choices[0];
      assert.equal(first?.delta.role, 'assistant', rel);
      const usageChunk = chunks.at(-1);
      if (completion.usage) {
        assert.deepEqual(usageChunk?.choices, [], rel);
        assert.deepEqual(usageChunk?.usage, completion.usage, rel);
      }
    }
  });

  it('a tool call reaches the client as one delta with id, type, name and arguments, indexes counted across the stream', () => {
    const events = runStream([streamBody('gemini/vercel-ai/google-stream-no-args-tool-call.chunks.txt')]).events;
    const deltas = chunksOf(events).flatMap((chunk) =>
      chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []),
    );
    const starts = deltas.filter((delta) => delta.id !== undefined);
    assert.deepEqual(
      starts.map((delta) => [delta.index, delta.type, delta.function?.name, delta.function?.arguments]),
      [
        [0, 'function', 'read_theme', ''],
        [1, 'function', 'read_screen', ''],
        [2, 'function', 'read_screen', ''],
        [3, 'function', 'read_screen', ''],
      ],
    );
    assert.equal(new Set(starts.map((delta) => delta.id)).size, 4);
    assert.ok(starts[0]?.signature, 'thoughtSignature rides on the first call delta');
  });

  it('STOP arrives in a later event than the functionCall and still finishes with tool_calls', () => {
    const body = streamBody('gemini/vercel-ai/google-tool-call.chunks.txt');
    const frames = splitSseFrames(body);
    assert.equal(frames.length, 2);
    assert.ok(!frames[0]?.includes('finishReason') && frames[1]?.includes('"STOP"'));
    const events = runStream([body]).events;
    assert.deepEqual(
      events.find((event) => event.type === 'finish'),
      { type: 'finish', choice: 0, reason: { unified: 'tool_calls', raw: 'STOP' } },
    );
  });

  it('a stream cut before its finishReason fails with upstream_bad_response', () => {
    const frames = splitSseFrames(streamBody('gemini/vercel-ai/google-text.chunks.txt'));
    const run = runStream([Buffer.from(frames.slice(0, 2).join(''))]);
    assert.equal(run.error?.code, 'upstream_bad_response');
    assert.equal(runStream([Buffer.alloc(0)]).error?.code, 'upstream_bad_response');
  });

  describe('js-genai streaming recordings', () => {
    const expected: Record<
      string,
      Array<[finish: string, content: string | null, tools: string[], usage: [number, number, number]]>
    > = {
      'AFC_Streaming_Tests_generateContentStream_afc_disabled_Google_AI_AFC_disabled.json': [
        ['tool_calls', null, ['customDivide{"denominator":2,"numerator":10}'], [17, 6, 23]],
      ],
      'AFC_Streaming_Tests_generateContentStream_afc_enabled_Google_AI_AFC_enabled.json': [
        ['tool_calls', null, ['customDivide{"denominator":2,"numerator":10}'], [17, 6, 23]],
        [
          'stop',
          'I cannot fulfill this request. The customDivide function does not return the correct result of 10 / 2. The function seems to be flawed and returns 42.\n',
          [],
          [27, 37, 64],
        ],
      ],
      'Chats_Tests_chats_function_calling_Google_AI_with_function_calling_stream.json': [
        ['tool_calls', null, ['customDivide{"denominator":2,"numerator":100}'], [21, 6, 27]],
        ['tool_calls', null, ['customDivide{"denominator":2,"numerator":50}'], [38, 6, 44]],
      ],
      'Chats_Tests_sendMessage_Google_AI_with_history_stream.json': [
        ['stop', 'a + b = 5 + 10 = 15\n\nTherefore, the value of a+b is **15**.\n', [], [16, 29, 45]],
      ],
    };
    const recordings = listFixtures('gemini/js-genai', '.json').map((rel) => ({
      rel,
      streams: loadJsGenaiRecording(rel).interactions.filter((interaction) => interaction.response.streaming),
    }));
    const streaming = atLeast(
      7,
      recordings.filter(({ streams }) => streams.length > 0),
      'js-genai recordings with a stream',
    );
    for (const { rel, streams } of streaming) {
      it(rel, () => {
        const name = rel.split('/').at(-1) ?? rel;
        streams.forEach((interaction, index) => {
          const run = runStream([interaction.response.body]);
          assert.equal(run.error, undefined);
          const completion = completionOf(run.events);
          const choice = completion.choices[0];
          assert.ok(choice && completion.usage);
          const want = expected[name]?.[index];
          if (want) {
            const [finish, content, tools, [prompt, output, total]] = want;
            assert.equal(choice.finish_reason, finish);
            assert.equal(choice.message.content, content);
            assert.deepEqual(
              choice.message.tool_calls?.map((call) => call.function.name + call.function.arguments) ?? [],
              tools,
            );
            assert.deepEqual(
              [completion.usage.prompt_tokens, completion.usage.completion_tokens, completion.usage.total_tokens],
              [prompt, output, total],
            );
          } else {
            // Long "why is the sky blue" answers: MAX_TOKENS → length, or STOP.
            assert.ok(['length', 'stop'].includes(choice.finish_reason ?? ''), name);
            assert.equal(choice.message.content, recordedText(interaction.response.body));
            assert.equal(
              completion.usage.total_tokens,
              completion.usage.prompt_tokens + completion.usage.completion_tokens,
            );
          }
        });
      });
    }
  });
});
