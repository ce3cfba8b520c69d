/**
 * Golden tests: every recorded Gemini stream in ../shared/fixtures (vercel-ai chunks, Firebase mocks,
 * pydantic-ai raw SSE via derived-sse, js-genai recordings) → adapter → OpenAI output, field by field.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listFixtures, loadChunksAsSse, loadJsGenaiRecording, loadRawSse } from '../../../test/support/fixtures.ts';
import { splitSseFrames } from '../../../test/support/replay-common.ts';
import { chunksOf, completionOf, foldChunks, runStream } from './test-helpers.ts';

interface Expected {
  finish: string;
  /** Exact content, or its length when the text is long. */
  content?: string | null;
  contentLength?: number;
  tools?: Array<[name: string, args: string, signed: boolean]>;
  reasoning?: string;
  /** reasoning_details entries that carry a signature. */
  signatures?: number;
  annotations?: number;
  /** prompt, completion, total, cached, reasoning */
  usage?: [number, number, number, number, number];
  midStreamError?: { code: string; status: number; message: string };
}

const STREAMS: Record<string, Expected> = {
  'gemini/vercel-ai/gemma-4-output-usage.chunks.txt': {
    finish: 'stop',
    content: 'hello',
    reasoning: '*   User input: "Reply with exactly: hello"',
    usage: [6, 77, 83, 0, 76],
  },
  'gemini/vercel-ai/google-reasoning-gemini3.chunks.txt': {
    finish: 'stop',
    contentLength: 55,
    signatures: 1,
    usage: [9, 325, 334, 0, 302],
  },
  'gemini/vercel-ai/google-stream-no-args-tool-call.chunks.txt': {
    finish: 'tool_calls',
    content: null,
    tools: [
      ['read_theme', '{}', true],
      ['read_screen', '{"id":"A"}', false],
      ['read_screen', '{"id":"B"}', false],
      ['read_screen', '{"id":"C"}', false],
    ],
    reasoning: '**Processing User Requests**',
    usage: [249, 241, 490, 0, 183],
  },
  'gemini/vercel-ai/google-stream-tool-call-arguments.chunks.txt': {
    finish: 'tool_calls',
    content: null,
    tools: [
      ['getWeather', '{"location":"Boston"}', true],
      ['getWeather', '{"location":"San Francisco"}', false],
    ],
    usage: [26, 155, 181, 0, 132],
  },
  'gemini/vercel-ai/google-text.chunks.txt': {
    finish: 'stop',
    content: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y',
    signatures: 1,
    usage: [9, 208, 217, 0, 185],
  },
  'gemini/vercel-ai/google-tool-call.chunks.txt': {
    finish: 'tool_calls',
    content: null,
    tools: [['weather', '{"location":"San Francisco"}', true]],
    usage: [29, 60, 89, 0, 45],
  },
  'gemini/vercel-ai/issue-18073-empty-text-thought-signature.chunks.txt': {
    finish: 'stop',
    content: '4',
    signatures: 1,
    usage: [15, 53, 68, 0, 52],
  },
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-failure-prompt-blocked-safety.txt': {
    finish: 'content_filter',
    content: '',
  },
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-failure-recitation-no-content.txt': {
    finish: 'content_filter',
    content: 'text1text2text3text4text5text6text7text8',
    annotations: 10,
    usage: [9, 261, 270, 0, 0],
  },
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-basic-reply-long.txt': {
    finish: 'stop',
    contentLength: 8845,
    usage: [10, 1996, 2006, 0, 0],
  },
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-basic-reply-short.txt': {
    finish: 'stop',
    content: 'The capital of Wyoming is **Cheyenne**.\n',
    usage: [7, 10, 17, 0, 0],
  },
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-citations.txt': {
    finish: 'stop',
    contentLength: 6711,
    annotations: 1,
    usage: [15, 1381, 1396, 0, 0],
  },
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-finish-message.txt': {
    finish: 'stop',
    content: 'Hello world!',
  },
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-thinking-function-call-thought-summary-signature.txt':
    {
      finish: 'tool_calls',
      content: null,
      tools: [['now', '{}', true]],
      reasoning: '**Calculating the Days**',
      usage: [38, 174, 212, 0, 168],
    },
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-thinking-reply-thought-summary.txt': {
    finish: 'stop',
    contentLength: 263,
    reasoning: '**Exploring Sky Color**',
    usage: [10, 588, 598, 0, 540],
  },
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-failure-error-mid-stream.txt': {
    finish: 'stop',
    content: 'First Second ',
    midStreamError: { code: 'upstream_error', status: 502, message: 'The operation was cancelled.' },
  },
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-failure-finish-reason-safety.txt': {
    finish: 'content_filter',
    content: '<redacted>',
    usage: [10, 66, 76, 0, 0],
  },
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-failure-prompt-blocked-safety-with-message.txt': {
    finish: 'content_filter',
    content: '',
  },
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-success-basic-reply-short.txt': {
    finish: 'stop',
    content: 'Cheyenne',
    usage: [6, 4, 10, 0, 0],
  },
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-success-function-call-short.txt': {
    finish: 'tool_calls',
    content: null,
    tools: [['getTemperature', '{"city":"San Jose"}', false]],
  },
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-success-utf8.txt': { finish: 'stop', contentLength: 225 },
  'derived-sse/gemini__test_google_model_stream.interaction0.sse': {
    finish: 'stop',
    content: 'The capital of France is Paris.\n',
    usage: [13, 8, 21, 0, 0],
  },
  'derived-sse/gemini__test_google_stream_usage_is_live_mid_stream.interaction0.sse': {
    finish: 'stop',
    contentLength: 80,
    usage: [18, 115, 133, 0, 35],
  },
  'derived-sse/gemini__test_google_streaming_tool_call_thought_signature.interaction0.sse': {
    finish: 'tool_calls',
    content: null,
    tools: [['get_country', '{}', true]],
    usage: [29, 212, 241, 0, 202],
  },
  'derived-sse/gemini__test_google_streaming_tool_call_thought_signature.interaction1.sse': {
    finish: 'stop',
    content: 'The capital of Mexico is Mexico City.',
    usage: [257, 8, 265, 0, 0],
  },
};

export function streamBody(rel: string): Buffer {
  return rel.endsWith('.chunks.txt') ? loadChunksAsSse(rel, 'gemini') : loadRawSse(rel);
}

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
    const recorded = [
      ...listFixtures('gemini/vercel-ai', '.chunks.txt'),
      ...listFixtures('gemini/firebase-vertexai-sdk-test-data', '.txt'),
      ...listFixtures('derived-sse', '.sse').filter((rel) => rel.includes('/gemini__')),
    ];
    assert.deepEqual(Object.keys(STREAMS).sort(), recorded.sort());
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
        errors.map((event) => event.error),
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
    for (const rel of listFixtures('gemini/js-genai', '.json')) {
      const streams = loadJsGenaiRecording(rel).interactions.filter((interaction) => interaction.response.streaming);
      if (streams.length === 0) continue;
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
