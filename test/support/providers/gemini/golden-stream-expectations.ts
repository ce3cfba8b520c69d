/** What the OpenAI client must get for each recorded Gemini stream (checked against the raw payloads by hand). */
export interface ExpectedStream {
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

export const STREAMS: Record<string, ExpectedStream> = {
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
