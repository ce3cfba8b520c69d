/** What the OpenAI client must get for each recorded Gemini response (checked against the raw bodies by hand). */
export interface ExpectedResponse {
  finish: string;
  content: string | null | { startsWith: string };
  tools?: string[];
  reasoning?: string;
  signatures?: number;
  annotations?: number;
  /** prompt, completion, total, cached, reasoning */
  usage?: [number, number, number, number, number];
  /** Tool calls carrying a thoughtSignature. */
  signedTools?: number;
}

export const FB = 'gemini/firebase-vertexai-sdk-test-data';
export const UNARY: Record<string, ExpectedResponse> = {
  'gemini/vercel-ai/google-issue-6855-zod-tool-description.json': {
    finish: 'tool_calls',
    content: null,
    tools: [
      'capture{"userInputExactlyAsIs":"quarterly sales for the Seattle waterfront kiosk, location code SEA-WF-042"}',
    ],
    signedTools: 1,
    usage: [80, 301, 381, 0, 268],
  },
  'gemini/vercel-ai/google-response-schema-7689.json': {
    finish: 'stop',
    content: '{"location":"Paris"}',
    usage: [6, 45, 51, 0, 40],
  },
  'gemini/vercel-ai/google-text.json': {
    finish: 'stop',
    content: { startsWith: "There are **3** r's in strawberry." },
    signatures: 1,
    usage: [9, 272, 281, 0, 244],
  },
  'gemini/vercel-ai/google-threshold-live.json': { finish: 'stop', content: 'OK.', usage: [6, 22, 28, 0, 20] },
  'gemini/vercel-ai/google-tool-call.json': {
    finish: 'tool_calls',
    content: null,
    tools: ['weather{"location":"San Francisco"}'],
    signedTools: 1,
    usage: [29, 908, 937, 0, 893],
  },
  [`${FB}/googleai/unary-failure-finish-reason-safety.json`]: {
    finish: 'content_filter',
    content: 'Safety error incoming in 5, 4, 3, 2...',
    usage: [7, 20, 27, 0, 0],
  },
  [`${FB}/googleai/unary-failure-with-message-no-content.json`]: { finish: 'stop', content: '' },
  [`${FB}/googleai/unary-success-basic-reply-short.json`]: {
    finish: 'stop',
    content: { startsWith: "Google's headquarters, also known as the Googleplex" },
    usage: [7, 22, 29, 0, 0],
  },
  [`${FB}/googleai/unary-success-citations.json`]: {
    finish: 'stop',
    content: { startsWith: "Okay, let's break down quantum mechanics." },
    annotations: 4,
    usage: [15, 1667, 1682, 0, 0],
  },
  [`${FB}/googleai/unary-success-thinking-function-call-thought-summary-signature.json`]: {
    finish: 'tool_calls',
    content: null,
    tools: ['now{}'],
    signedTools: 1,
    reasoning: '**Thinking Through the New Year',
    usage: [38, 509, 547, 0, 501],
  },
  [`${FB}/googleai/unary-success-thinking-reply-thought-summary.json`]: {
    finish: 'stop',
    content: 'Mountain View',
    reasoning: "**Thinking About Google's Head",
    usage: [14, 26, 40, 0, 24],
  },
  [`${FB}/vertexai/unary-failure-finish-reason-safety.json`]: {
    finish: 'content_filter',
    content: '<redacted>',
    usage: [8, 0, 8, 0, 0],
  },
  [`${FB}/vertexai/unary-failure-prompt-blocked-safety-with-message.json`]: { finish: 'content_filter', content: '' },
  [`${FB}/vertexai/unary-failure-prompt-blocked-safety.json`]: { finish: 'content_filter', content: '' },
  [`${FB}/vertexai/unary-failure-unknown-enum-finish-reason.json`]: { finish: 'stop', content: 'Some text' },
  [`${FB}/vertexai/unary-success-constraint-decoding-json.json`]: {
    finish: 'stop',
    content: { startsWith: '[\n  {\n    "name": "Fuji Dawn"' },
  },
  [`${FB}/vertexai/unary-success-function-call-different-parallel-calls.json`]: {
    finish: 'tool_calls',
    content: null,
    tools: ['sum{"y":1,"x":2}', 'multiply{"y":3,"x":4}', 'subtract{"y":5,"x":6}'],
  },
  [`${FB}/vertexai/unary-success-function-call-mixed-content.json`]: {
    finish: 'tool_calls',
    content: 'The sum of [1, 2,3] is',
    tools: ['sum{"y":1,"x":2}', 'sum{"y":3,"x":3}'],
  },
  [`${FB}/vertexai/unary-success-function-call-no-arguments.json`]: {
    finish: 'tool_calls',
    content: null,
    tools: ['current_time{}'],
  },
  [`${FB}/vertexai/unary-success-function-call-parallel-calls.json`]: {
    finish: 'tool_calls',
    content: null,
    tools: ['sum{"y":1,"x":2}', 'sum{"y":3,"x":4}', 'sum{"y":5,"x":6}'],
  },
  [`${FB}/vertexai/unary-success-implicit-caching.json`]: {
    finish: 'stop',
    content: { startsWith: 'Red Riding Hood is looking for **directions**' },
    usage: [12013, 88, 12101, 11243, 73],
  },
  [`${FB}/vertexai/unary-success-usage-metadata.json`]: {
    finish: 'stop',
    content: 'Mountain View, California, United States',
    usage: [6, 357, 363, 0, 0],
  },
  'gemini/pydantic-ai/test_google_model_armor_prompt_template_text_gets_blocked.yaml#1': {
    finish: 'content_filter',
    content: '',
    usage: [0, 0, 0, 0, 0],
  },
  'gemini/pydantic-ai/test_google_model_max_tokens.yaml#0': {
    finish: 'length',
    content: 'The capital of France is',
    usage: [15, 5, 20, 0, 0],
  },
  'gemini/pydantic-ai/test_google_model_max_tokens_thinking_model_empty_response.yaml#0': {
    finish: 'length',
    content: '',
    usage: [15, 2, 17, 0, 2],
  },
  'gemini/pydantic-ai/test_google_model_mobile_youtube_video_url_input.yaml#0': {
    finish: 'stop',
    content: { startsWith: 'This video demonstrates an AI assistant' },
    usage: [17713, 889, 18602, 17379, 821],
  },
  'gemini/pydantic-ai/test_google_model_safety_settings.yaml#0': {
    finish: 'content_filter',
    content: '',
    usage: [14, 0, 14, 0, 0],
  },
  'gemini/pydantic-ai/test_google_model_thinking_config.yaml#0': {
    finish: 'stop',
    content: 'The capital of France is **Paris**.',
    usage: [15, 283, 298, 0, 275],
  },
  'gemini/pydantic-ai/test_google_tool_config_any_with_tool_without_args.yaml#0': {
    finish: 'tool_calls',
    content: null,
    tools: ['bar{}'],
    usage: [21, 1, 22, 0, 0],
  },
  'gemini/pydantic-ai/test_google_tool_config_any_with_tool_without_args.yaml#1': {
    finish: 'tool_calls',
    content: null,
    tools: ['final_result{"bar":"hello"}'],
    usage: [27, 5, 32, 0, 0],
  },
  'gemini/js-genai/Client_Tests_generateContent_ML_Dev_can_use_JSON_schema_in_parametersJsonSchema_to_build_FunctionDeclaration.json#0':
    {
      finish: 'tool_calls',
      content: null,
      tools: ['concatStringFunction{"firstString":"hello","secondString":"world"}'],
      signedTools: 1,
      usage: [65, 81, 146, 0, 59],
    },
  'gemini/js-genai/Client_Tests_generateContent_ML_Dev_should_generate_content_with_given_valid_json_schema_in_responseJsonSchema.json#0':
    {
      finish: 'stop',
      content: { startsWith: '{"simpleString":"Hello"' },
      usage: [5, 508, 513, 0, 331],
    },
  'gemini/js-genai/Client_Tests_generateContent_ML_Dev_should_generate_content_with_given_valid_json_schema_in_responseSchema.json#0':
    {
      finish: 'stop',
      content: { startsWith: '{\n  "simpleString": "example"' },
      usage: [5, 279, 284, 3, 41],
    },
  'gemini/js-genai/Client_Tests_generateContent_ML_Dev_should_generate_content_with_specified_parameters.json#0': {
    finish: 'length',
    content: { startsWith: 'The sky is blue because of something called **Rayl' },
    usage: [7, 197, 204, 0, 48],
  },
  'gemini/js-genai/Client_Tests_generateContent_ML_Dev_should_generate_content_with_system_instruction.json#0': {
    finish: 'stop',
    content: 'low',
    usage: [9, 21, 30, 0, 20],
  },
  'gemini/js-genai/Client_Tests_generateContent_ML_Dev_should_return_the_headers_in_the_sdkHttpResponse_by_default.json#0':
    {
      finish: 'length',
      content: '',
      usage: [7, 19, 26, 0, 19],
    },
  'gemini/js-genai/Client_Tests_test_thinking_generate_content_should_return_thought_field.json#0': {
    finish: 'length',
    content: '',
    reasoning: '**Breaking Down the Sum of Nat',
    usage: [17, 19, 36, 0, 19],
  },
  'gemini/js-genai/non-streaming_Tests_generateContent_afc_enabled_Google_AI_AFC_enabled.json#0': {
    finish: 'tool_calls',
    content: null,
    tools: ['customDivide{"denominator":2,"numerator":10}'],
    usage: [17, 6, 23, 0, 0],
  },
  'gemini/js-genai/non-streaming_Tests_generateContent_afc_enabled_Google_AI_AFC_enabled.json#1': {
    finish: 'stop',
    content: { startsWith: "I've divided 10 by 2 using the customDivide function" },
    usage: [27, 25, 52, 0, 0],
  },
};
