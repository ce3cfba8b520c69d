import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../../core/errors.ts';
import { geminiSurface } from './index.ts';
import { geminiRouteTarget } from './route-target.ts';
import { fromGeminiRequest } from './to-canonical.ts';
import { validateGeminiRequest } from './validate.ts';

const parse = (body: unknown) => fromGeminiRequest(validateGeminiRequest(body), 'm', false);
const user = (text: string) => ({ role: 'user', parts: [{ text }] });

describe('Gemini request → canonical', () => {
  it('systemInstruction (with role user, or a string) becomes one system message', () => {
    const request = parse({
      systemInstruction: { role: 'user', parts: [{ text: 'A' }, { text: 'B' }] },
      contents: [user('hi')],
    });
    assert.deepEqual(request.messages[0], {
      role: 'system',
      parts: [
        { type: 'text', text: 'A' },
        { type: 'text', text: 'B' },
      ],
    });
    assert.deepEqual(parse({ systemInstruction: 'S', contents: [user('hi')] }).messages[0]?.parts, [
      { type: 'text', text: 'S' },
    ]);
  });

  it('thought parts are reasoning with their signature; a signature on text is signature-only reasoning', () => {
    const request = parse({
      contents: [
        user('q'),
        {
          role: 'model',
          parts: [
            { text: 'thinking', thought: true, thoughtSignature: 'sig1' },
            { text: 'answer', thoughtSignature: 'sig2' },
          ],
        },
      ],
    });
    assert.deepEqual(request.messages[1]?.parts, [
      { type: 'reasoning', text: 'thinking', signature: 'sig1' },
      { type: 'reasoning', text: '', signature: 'sig2' },
      { type: 'text', text: 'answer' },
    ]);
  });

  it("gemini-cli's sentinel signature is dropped; its invented call ids pair call and response", () => {
    const request = parse({
      contents: [
        user('read it'),
        {
          role: 'model',
          parts: [
            {
              functionCall: { id: 'read_file_1_0', name: 'read_file', args: { path: 'a' } },
              thoughtSignature: 'skip_thought_signature_validator',
            },
          ],
        },
        {
          role: 'user',
          parts: [{ functionResponse: { id: 'read_file_1_0', name: 'read_file', response: { output: 'text' } } }],
        },
      ],
    });
    assert.deepEqual(request.messages[1]?.parts, [
      { type: 'tool-call', id: 'read_file_1_0', name: 'read_file', arguments: '{"path":"a"}' },
    ]);
    assert.deepEqual(request.messages[2], {
      role: 'tool',
      parts: [{ type: 'tool-result', toolCallId: 'read_file_1_0', name: 'read_file', content: 'text' }],
    });
  });

  it('calls without ids get one; responses are paired by name in order; other responses are JSON; error is flagged', () => {
    const request = parse({
      contents: [
        user('go'),
        { role: 'model', parts: [{ functionCall: { name: 'a', args: {} } }, { functionCall: { name: 'b' } }] },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'b', response: { temp: 20 } } },
            { functionResponse: { name: 'a', response: { error: 'boom' } } },
            { text: 'and now?' },
          ],
        },
      ],
    });
    const calls = request.messages[1]?.parts.map((part) => (part.type === 'tool-call' ? part.id : ''));
    assert.equal(new Set(calls).size, 2, 'distinct ids');
    const results = request.messages.slice(2, 4).map((message) => message.parts[0]);
    assert.deepEqual(results, [
      { type: 'tool-result', toolCallId: calls?.[1], name: 'b', content: '{"temp":20}' },
      { type: 'tool-result', toolCallId: calls?.[0], name: 'a', content: 'boom', isError: true },
    ]);
    assert.deepEqual(request.messages[4], { role: 'user', parts: [{ type: 'text', text: 'and now?' }] });
  });

  it('inlineData and fileData: images as image parts, other media as files', () => {
    const request = parse({
      contents: [
        {
          role: 'user',
          parts: [
            { inlineData: { mimeType: 'image/png', data: 'AAAA' } },
            { inlineData: { mimeType: 'application/pdf', data: 'BBBB' } },
            { fileData: { mimeType: 'image/jpeg', fileUri: 'https://x/y.jpg' } },
          ],
        },
      ],
    });
    assert.deepEqual(request.messages[0]?.parts, [
      { type: 'image', data: 'AAAA', mediaType: 'image/png' },
      { type: 'file', data: 'BBBB', mediaType: 'application/pdf' },
      { type: 'image', url: 'https://x/y.jpg', mediaType: 'image/jpeg' },
    ]);
  });

  it('tools: parametersJsonSchema as is, parameters converted from the OpenAPI subset; toolConfig → tool choice', () => {
    const request = parse({
      contents: [user('x')],
      tools: [
        {
          functionDeclarations: [
            { name: 'a', parametersJsonSchema: { type: 'object', properties: { q: { type: 'string' } } } },
            {
              name: 'b',
              description: 'B',
              parameters: {
                type: 'OBJECT',
                properties: { n: { type: 'INTEGER', nullable: true } },
                propertyOrdering: ['n'],
              },
            },
          ],
        },
        { googleSearch: {} },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['b'] } },
    });
    assert.deepEqual(request.tools, [
      { type: 'function', name: 'a', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
      {
        type: 'function',
        name: 'b',
        description: 'B',
        parameters: { type: 'object', properties: { n: { type: ['integer', 'null'] } } },
      },
    ]);
    assert.deepEqual(request.toolChoice, { type: 'function', name: 'b' });
    assert.deepEqual(
      request.providerOptions,
      { gemini: { tools: [{ googleSearch: {} }] } },
      'built-in tools for Gemini only',
    );
  });

  it('generationConfig: sampling, stop, candidates, JSON schema, thinking level and budget', () => {
    const request = parse({
      contents: [user('x')],
      generationConfig: {
        maxOutputTokens: 100,
        temperature: 1,
        topP: 0.95,
        topK: 64,
        stopSequences: ['END'],
        candidateCount: 2,
        responseMimeType: 'application/json',
        responseJsonSchema: { type: 'object' },
        thinkingConfig: { includeThoughts: true, thinkingLevel: 'HIGH' },
      },
    });
    assert.deepEqual(
      [request.maxOutputTokens, request.temperature, request.topP, request.topK, request.stop, request.n],
      [100, 1, 0.95, 64, ['END'], 2],
    );
    assert.deepEqual(request.responseFormat, { type: 'json_schema', name: 'response', schema: { type: 'object' } });
    assert.deepEqual(request.reasoning, { effort: 'high', includeThoughts: true });
    const budget = parse({ contents: [user('x')], generationConfig: { thinkingConfig: { thinkingBudget: 8192 } } });
    assert.deepEqual(budget.reasoning, { budgetTokens: 8192 });
    const off = parse({ contents: [user('x')], generationConfig: { thinkingConfig: { thinkingBudget: 0 } } });
    assert.deepEqual(off.reasoning, { effort: 'none' });
    const json = parse({
      contents: [user('x')],
      generationConfig: { responseMimeType: 'application/json', responseSchema: { type: 'STRING' } },
    });
    assert.deepEqual(json.responseFormat, { type: 'json_schema', name: 'response', schema: { type: 'string' } });
  });

  it('refuses what it cannot read with a 400 naming the field', () => {
    for (const [body, param] of [
      [{}, 'contents'],
      [{ contents: [] }, 'contents'],
      [{ contents: [{ role: 'system', parts: [] }] }, 'contents[0].role'],
      [{ contents: [{ parts: [{ functionCall: { args: {} } }] }] }, 'contents[0].parts[0].functionCall.name'],
      [
        { contents: [user('x')], generationConfig: { responseMimeType: 'text/x-enum' } },
        'generationConfig.responseMimeType',
      ],
      [
        { contents: [user('x')], generationConfig: { thinkingConfig: { thinkingLevel: 'ULTRA' } } },
        'generationConfig.thinkingConfig.thinkingLevel',
      ],
    ] as const) {
      assert.throws(
        () => parse(body),
        (error: unknown) => error instanceof GatewayError && error.status === 400 && error.param === param,
        `400 for ${param}`,
      );
    }
  });
});

describe('Gemini route and key', () => {
  it('splits {model}:{method}; an unknown method is a 404', () => {
    assert.deepEqual(geminiRouteTarget('gemini-2.5-flash:streamGenerateContent'), {
      model: 'gemini-2.5-flash',
      method: 'streamGenerateContent',
    });
    assert.throws(
      () => geminiRouteTarget('m:predict'),
      (error: unknown) => error instanceof GatewayError && error.status === 404,
    );
  });

  it('the key from x-goog-api-key, else the key query parameter', () => {
    assert.equal(geminiSurface.presentedKey({ 'x-goog-api-key': 'h' }, { key: 'q' }), 'h');
    assert.equal(geminiSurface.presentedKey({}, { key: 'q' }), 'q');
    assert.equal(geminiSurface.presentedKey({}, {}), undefined);
  });

  it('stream and framing from the URL: alt=sse is SSE, otherwise a JSON array', () => {
    const body = { contents: [user('x')] };
    const sse = geminiSurface.parse(body, {
      requestId: 'r',
      params: { modelAction: 'm:streamGenerateContent' },
      query: { alt: 'sse' },
    });
    assert.deepEqual([sse.stream, sse.streamFraming], [true, undefined]);
    const array = geminiSurface.parse(body, { requestId: 'r', params: { modelAction: 'm:streamGenerateContent' } });
    assert.deepEqual([array.stream, array.streamFraming], [true, 'json-array']);
    const unary = geminiSurface.parse(body, { requestId: 'r', params: { modelAction: 'm:generateContent' } });
    assert.deepEqual([unary.stream, unary.model], [false, 'm']);
  });
});
