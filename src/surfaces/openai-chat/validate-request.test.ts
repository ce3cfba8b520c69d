import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import { openAIErrorFields } from './error-vocabulary.ts';
import { validateChatRequest } from './validate-request.ts';

const user = (content: unknown) => ({ role: 'user', content });
const base = { model: 'gpt-4o', messages: [user('hi')] };

interface Rejection {
  param: string;
  message: string;
  code: string;
}

function rejection(body: unknown): Rejection {
  try {
    validateChatRequest(body);
  } catch (error) {
    assert.ok(error instanceof GatewayError, `a GatewayError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(openAIErrorFields(error).type, 'invalid_request_error');
    assert.equal(error.retryable, false);
    assert.ok(error.param, 'param is set');
    return { param: error.param, message: error.message, code: String(openAIErrorFields(error).code) };
  }
  assert.fail(`accepted: ${JSON.stringify(body)}`);
}

function rejects(body: unknown, param: string, message?: RegExp | string): void {
  const error = rejection(body);
  assert.equal(error.param, param);
  assert.ok(error.message.includes(`'${param}'`), `message names '${param}': ${error.message}`);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message) assert.match(error.message, message);
}

const withMessages = (...messages: unknown[]) => ({ model: 'gpt-4o', messages });

describe('validateChatRequest: the body', () => {
  it('returns the very body it was given, unknown fields included', () => {
    const body = { ...base, vendor_field: { a: 1 }, top_k: 40 };
    assert.equal(validateChatRequest(body), body);
  });

  it('needs a JSON object', () => {
    for (const body of [[], 'text', 3, null, true])
      rejects(body, 'body', /^Invalid type for 'body': expected a JSON object/);
  });

  it('model: required, a non-empty string', () => {
    const missing = rejection({ messages: base.messages });
    assert.deepEqual(missing, {
      param: 'model',
      message: "Missing required parameter: 'model'.",
      code: 'missing_required_parameter',
    });
    rejects({ ...base, model: null }, 'model', "Missing required parameter: 'model'.");
    const wrong = rejection({ ...base, model: 4 });
    assert.deepEqual(wrong, {
      param: 'model',
      message: "Invalid type for 'model': expected a string, but got an integer instead.",
      code: 'invalid_type',
    });
    assert.equal(rejection({ ...base, model: '' }).code, 'invalid_value');
  });

  it('accepts null for every optional field', () => {
    const fields = [
      'stream',
      'stream_options',
      'temperature',
      'top_p',
      'n',
      'stop',
      'max_tokens',
      'max_completion_tokens',
      'presence_penalty',
      'frequency_penalty',
      'logit_bias',
      'user',
      'seed',
      'response_format',
      'tools',
      'tool_choice',
      'parallel_tool_calls',
      'logprobs',
      'top_logprobs',
      'reasoning_effort',
      'service_tier',
      'metadata',
      'store',
      'modalities',
      'audio',
      'prediction',
      'web_search_options',
    ];
    for (const field of fields) assert.doesNotThrow(() => validateChatRequest({ ...base, [field]: null }), field);
  });
});

describe('validateChatRequest: scalar fields', () => {
  it('accepts values at the documented bounds', () => {
    const body = {
      ...base,
      stream: true,
      temperature: 2,
      top_p: 0,
      n: 128,
      max_tokens: 1,
      max_completion_tokens: 100_000,
      presence_penalty: -2,
      frequency_penalty: 2,
      seed: -5,
      logprobs: true,
      top_logprobs: 20,
      reasoning_effort: 'minimal',
      service_tier: 'priority',
      user: 'u',
      parallel_tool_calls: false,
      store: true,
    };
    assert.doesNotThrow(() => validateChatRequest(body));
  });

  const cases: Array<[string, unknown, string]> = [
    ['temperature', 'hot', "Invalid type for 'temperature': expected a number, but got a string instead."],
    ['temperature', 2.5, "Invalid 'temperature': 2.5 is out of range; expected a value between 0 and 2."],
    ['top_p', 1.1, "Invalid 'top_p': 1.1 is out of range; expected a value between 0 and 1."],
    ['n', 0, "Invalid 'n': 0 is out of range; expected a value between 1 and 128."],
    ['n', 1.5, "Invalid type for 'n': expected an integer, but got a decimal instead."],
    ['max_tokens', 0, "Invalid 'max_tokens': 0 is out of range; expected a value between 1 and 2147483647."],
    [
      'max_completion_tokens',
      '10',
      "Invalid type for 'max_completion_tokens': expected an integer, but got a string instead.",
    ],
    ['presence_penalty', -3, "Invalid 'presence_penalty': -3 is out of range; expected a value between -2 and 2."],
    ['frequency_penalty', [], "Invalid type for 'frequency_penalty': expected a number, but got an array instead."],
    ['stream', 'true', "Invalid type for 'stream': expected a boolean, but got a string instead."],
    ['logprobs', 1, "Invalid type for 'logprobs': expected a boolean, but got an integer instead."],
    ['top_logprobs', 21, "Invalid 'top_logprobs': 21 is out of range; expected a value between 0 and 20."],
    ['seed', 1.25, "Invalid type for 'seed': expected an integer, but got a decimal instead."],
    ['user', 12, "Invalid type for 'user': expected a string, but got an integer instead."],
    [
      'parallel_tool_calls',
      'no',
      "Invalid type for 'parallel_tool_calls': expected a boolean, but got a string instead.",
    ],
    [
      'reasoning_effort',
      'extreme',
      "Invalid value for 'reasoning_effort': 'extreme'. Supported values are: 'none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'.",
    ],
    ['service_tier', {}, "Invalid type for 'service_tier': expected a string, but got an object instead."],
    ['modalities', 'text', "Invalid type for 'modalities': expected an array, but got a string instead."],
    ['audio', 'alloy', "Invalid type for 'audio': expected an object, but got a string instead."],
    [
      'function_call',
      3,
      "Invalid type for 'function_call': expected a string or an object, but got an integer instead.",
    ],
  ];
  for (const [field, value, message] of cases) {
    it(`${field} = ${JSON.stringify(value)}`, () => rejects({ ...base, [field]: value }, field, message));
  }

  it('stop: a string or an array of strings', () => {
    assert.doesNotThrow(() => validateChatRequest({ ...base, stop: 'END' }));
    assert.doesNotThrow(() => validateChatRequest({ ...base, stop: ['a', 'b'] }));
    rejects(
      { ...base, stop: 5 },
      'stop',
      "Invalid type for 'stop': expected a string or an array of strings, but got an integer instead.",
    );
    rejects({ ...base, stop: ['a', 2] }, 'stop[1]');
  });

  it('stream_options, logit_bias and metadata', () => {
    assert.doesNotThrow(() =>
      validateChatRequest({
        ...base,
        stream_options: { include_usage: true, include_obfuscation: false },
        logit_bias: { '50256': -100, '11': 100 },
        metadata: { team: 'a' },
      }),
    );
    rejects({ ...base, stream_options: true }, 'stream_options');
    rejects({ ...base, stream_options: { include_usage: 'yes' } }, 'stream_options.include_usage');
    rejects({ ...base, logit_bias: [1] }, 'logit_bias');
    rejects({ ...base, logit_bias: { '50256': -101 } }, 'logit_bias.50256', /out of range/);
    rejects({ ...base, metadata: { team: 1 } }, 'metadata.team');
  });
});

describe('validateChatRequest: messages', () => {
  it('must be a non-empty array of objects with a known role', () => {
    rejects({ model: 'gpt-4o' }, 'messages', "Missing required parameter: 'messages'.");
    rejects(
      { model: 'gpt-4o', messages: 'hi' },
      'messages',
      "Invalid type for 'messages': expected an array, but got a string instead.",
    );
    const empty = rejection({ model: 'gpt-4o', messages: [] });
    assert.deepEqual(empty, {
      param: 'messages',
      message:
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      code: 'empty_array',
    });
    rejects(
      withMessages(user('a'), 'b'),
      'messages[1]',
      "Invalid type for 'messages[1]': expected an object, but got a string instead.",
    );
    rejects(withMessages({ content: 'hi' }), 'messages[0].role', "Missing required parameter: 'messages[0].role'.");
    rejects(
      withMessages({ role: 'bot', content: 'hi' }),
      'messages[0].role',
      "Invalid value for 'messages[0].role': 'bot'. Supported values are: 'system', 'developer', 'user', 'assistant', 'tool', 'function'.",
    );
    rejects(withMessages({ role: 'user', content: 'hi', name: 3 }), 'messages[0].name');
  });

  it('accepts every role in its documented shape', () => {
    const messages = [
      { role: 'developer', content: 'Be brief.' },
      { role: 'system', content: [{ type: 'text', text: 'sys' }], name: 'ops' },
      user('hi'),
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } },
          { id: 'call_2', type: 'custom', custom: { name: 'g', input: 'x' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '42' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'ok' },
          { type: 'refusal', refusal: 'no' },
        ],
        refusal: null,
      },
      { role: 'assistant', refusal: 'I cannot.' },
      { role: 'function', name: 'f', content: null },
      user('thanks'),
    ];
    assert.doesNotThrow(() => validateChatRequest(withMessages(...messages)));
  });

  it('system, developer, user and tool messages need content', () => {
    for (const role of ['system', 'developer', 'user']) {
      rejects(withMessages({ role }), 'messages[0].content', "Missing required parameter: 'messages[0].content'.");
    }
    rejects(withMessages({ role: 'tool', tool_call_id: 'c' }), 'messages[0].content');
    rejects(
      withMessages(user(42)),
      'messages[0].content',
      "Invalid type for 'messages[0].content': expected a string or an array of content parts, but got an integer instead.",
    );
  });

  it('tool messages need a string tool_call_id', () => {
    rejects(
      withMessages({ role: 'tool', content: 'x' }),
      'messages[0].tool_call_id',
      "Missing required parameter: 'messages[0].tool_call_id'.",
    );
    rejects(withMessages({ role: 'tool', content: 'x', tool_call_id: 1 }), 'messages[0].tool_call_id');
  });

  it('function messages need a name', () => {
    rejects(
      withMessages({ role: 'function', content: 'x' }),
      'messages[0].name',
      "Missing required parameter: 'messages[0].name'.",
    );
  });
});

describe('validateChatRequest: content parts', () => {
  it('accepts every user part type', () => {
    const parts = [
      { type: 'text', text: 'look' },
      { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO', detail: 'low' } },
      { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
      { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' } },
      { type: 'file', file: { file_id: 'file-1' } },
    ];
    assert.doesNotThrow(() => validateChatRequest(withMessages(user(parts))));
  });

  it('each role takes only its part types', () => {
    rejects(
      withMessages({ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x' } }] }),
      'messages[0].content[0].type',
      "Invalid value for 'messages[0].content[0].type': 'image_url'. Supported values are: 'text'.",
    );
    rejects(withMessages(user([{ type: 'refusal', refusal: 'no' }])), 'messages[0].content[0].type');
    rejects(
      withMessages({ role: 'assistant', content: [{ type: 'image_url', image_url: { url: 'https://x' } }] }),
      'messages[0].content[0].type',
    );
    rejects(
      withMessages({ role: 'tool', tool_call_id: 'c', content: [{ type: 'file', file: {} }] }),
      'messages[0].content[0].type',
    );
  });

  it('names the bad field inside a part', () => {
    rejects(withMessages(user(['hi'])), 'messages[0].content[0]');
    rejects(
      withMessages(user([{ text: 'hi' }])),
      'messages[0].content[0].type',
      "Missing required parameter: 'messages[0].content[0].type'.",
    );
    rejects(
      withMessages(user([{ type: 'text' }])),
      'messages[0].content[0].text',
      "Missing required parameter: 'messages[0].content[0].text'.",
    );
    rejects(withMessages(user([{ type: 'text', text: 1 }])), 'messages[0].content[0].text');
    rejects(withMessages(user([{ type: 'image_url', image_url: 'https://x' }])), 'messages[0].content[0].image_url');
    rejects(withMessages(user([{ type: 'image_url', image_url: {} }])), 'messages[0].content[0].image_url.url');
    rejects(
      withMessages(user([{ type: 'image_url', image_url: { url: 'https://x', detail: 'ultra' } }])),
      'messages[0].content[0].image_url.detail',
      "Invalid value for 'messages[0].content[0].image_url.detail': 'ultra'. Supported values are: 'auto', 'low', 'high'.",
    );
    rejects(
      withMessages(user([{ type: 'input_audio', input_audio: { format: 'wav' } }])),
      'messages[0].content[0].input_audio.data',
    );
    rejects(
      withMessages(user([{ type: 'input_audio', input_audio: { data: 'x' } }])),
      'messages[0].content[0].input_audio.format',
    );
    rejects(withMessages(user([{ type: 'file', file: { file_id: 3 } }])), 'messages[0].content[0].file.file_id');
    rejects(withMessages(user([{ type: 'text', text: 'a' }, { type: 'file' }])), 'messages[0].content[1].file');
    rejects(withMessages({ role: 'assistant', content: [{ type: 'refusal' }] }), 'messages[0].content[0].refusal');
  });
});

describe('validateChatRequest: assistant tool_calls', () => {
  const assistant = (toolCalls: unknown, extra: Record<string, unknown> = {}) =>
    withMessages(user('hi'), { role: 'assistant', tool_calls: toolCalls, ...extra });

  it('names the bad field of a tool call', () => {
    rejects(
      assistant({}),
      'messages[1].tool_calls',
      "Invalid type for 'messages[1].tool_calls': expected an array, but got an object instead.",
    );
    rejects(assistant(['x']), 'messages[1].tool_calls[0]');
    rejects(
      assistant([{ type: 'function', function: { name: 'f', arguments: '{}' } }]),
      'messages[1].tool_calls[0].id',
      "Missing required parameter: 'messages[1].tool_calls[0].id'.",
    );
    rejects(
      assistant([{ id: 'c', type: 'tool', function: { name: 'f', arguments: '{}' } }]),
      'messages[1].tool_calls[0].type',
    );
    rejects(assistant([{ id: 'c', type: 'function' }]), 'messages[1].tool_calls[0].function');
    rejects(
      assistant([{ id: 'c', type: 'function', function: { arguments: '{}' } }]),
      'messages[1].tool_calls[0].function.name',
    );
    rejects(
      assistant([{ id: 'c', type: 'function', function: { name: 'f', arguments: { city: 'Oslo' } } }]),
      'messages[1].tool_calls[0].function.arguments',
      "Invalid type for 'messages[1].tool_calls[0].function.arguments': expected a string, but got an object instead.",
    );
    rejects(assistant([], { refusal: 5 }), 'messages[1].refusal');
  });

  it('accepts a tool call without a type (older clients)', () => {
    assert.doesNotThrow(() => validateChatRequest(assistant([{ id: 'c', function: { name: 'f', arguments: '' } }])));
  });
});

describe('validateChatRequest: response_format, tools, tool_choice', () => {
  it('response_format', () => {
    for (const format of [
      { type: 'text' },
      { type: 'json_object' },
      { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' }, strict: true, description: 'd' } },
    ]) {
      assert.doesNotThrow(() => validateChatRequest({ ...base, response_format: format }));
    }
    rejects({ ...base, response_format: 'json' }, 'response_format');
    rejects(
      { ...base, response_format: { type: 'yaml' } },
      'response_format.type',
      /Supported values are: 'text', 'json_object', 'json_schema'/,
    );
    rejects(
      { ...base, response_format: { type: 'json_schema' } },
      'response_format.json_schema',
      "Missing required parameter: 'response_format.json_schema'.",
    );
    rejects(
      { ...base, response_format: { type: 'json_schema', json_schema: { schema: {} } } },
      'response_format.json_schema.name',
    );
    rejects(
      { ...base, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: [] } } },
      'response_format.json_schema.schema',
    );
    rejects(
      { ...base, response_format: { type: 'json_schema', json_schema: { name: 'x', strict: 'yes' } } },
      'response_format.json_schema.strict',
    );
  });

  it('tools', () => {
    const fn = {
      type: 'function',
      function: { name: 'f', description: 'd', parameters: { type: 'object' }, strict: true },
    };
    assert.doesNotThrow(() => validateChatRequest({ ...base, tools: [fn, { type: 'custom', custom: { name: 'g' } }] }));
    rejects({ ...base, tools: fn }, 'tools', "Invalid type for 'tools': expected an array, but got an object instead.");
    rejects({ ...base, tools: [fn, 'g'] }, 'tools[1]');
    rejects(
      { ...base, tools: [{ function: fn.function }] },
      'tools[0].type',
      "Missing required parameter: 'tools[0].type'.",
    );
    rejects({ ...base, tools: [{ type: 'retrieval' }] }, 'tools[0].type');
    rejects({ ...base, tools: [{ type: 'function' }] }, 'tools[0].function');
    rejects({ ...base, tools: [{ type: 'function', function: {} }] }, 'tools[0].function.name');
    rejects(
      { ...base, tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] },
      'tools[0].function.parameters',
    );
    rejects({ ...base, tools: [{ type: 'function', function: { name: 'f', strict: 1 } }] }, 'tools[0].function.strict');
    rejects({ ...base, tools: [{ type: 'custom' }] }, 'tools[0].custom');
  });

  it('tool_choice', () => {
    for (const choice of [
      'auto',
      'none',
      'required',
      { type: 'function', function: { name: 'f' } },
      { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } },
      { type: 'custom', custom: { name: 'g' } },
    ]) {
      assert.doesNotThrow(() => validateChatRequest({ ...base, tool_choice: choice }), JSON.stringify(choice));
    }
    rejects(
      { ...base, tool_choice: 'always' },
      'tool_choice',
      "Invalid value for 'tool_choice': 'always'. Supported values are: 'auto', 'none', 'required'.",
    );
    rejects({ ...base, tool_choice: 1 }, 'tool_choice');
    rejects({ ...base, tool_choice: { type: 'tool' } }, 'tool_choice.type');
    rejects({ ...base, tool_choice: { type: 'function' } }, 'tool_choice.function');
    rejects({ ...base, tool_choice: { type: 'function', function: {} } }, 'tool_choice.function.name');
  });
});
