/**
 * gemini-cli 0.61's recorded requests (test/fixtures/clients/gemini-cli) sent to llmux's Gemini
 * surface as the CLI sent them: (a) to a Gemini deployment, passed through (the recorded answers
 * come back byte for byte, the bodies go upstream unchanged); (b) to an OpenAI-compatible
 * deployment, translated (invented call ids paired, the sentinel signature dropped, the last chunk
 * finished).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { asArray, asRecord, type JsonRecord } from '../support/json-guards.ts';
import { openAIAnswer, openAIStreamFrames } from '../support/openai-steps.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

interface Recorded {
  run: string;
  path: string;
  query: Record<string, string>;
  body: string;
  response: { status: number; stream: boolean; body?: string; frames?: string[] };
}

const RUNS = ['01-text', '02-tool-read_file', '03-tool-read_file-with-thought-signature', '04-image-at-reference'];
const recorded: Recorded[] = RUNS.flatMap((run) =>
  readFileSync(new URL(`../fixtures/clients/gemini-cli/runs/${run}.requests.jsonl`, import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => ({ run, ...(JSON.parse(line) as Omit<Recorded, 'run'>) })),
);
const MODELS = `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: "gemini-*"
    deployments: [{ provider: up, model: "gemini-*" }]
`;

function urlOf(gateway: Gateway, request: Recorded): string {
  const query = new URLSearchParams(request.query).toString();
  return `${gateway.llmux.url}${request.path}${query ? `?${query}` : ''}`;
}

async function send(gateway: Gateway, request: Recorded): Promise<Response> {
  return fetch(urlOf(gateway, request), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': gateway.llmux.apiKey },
    body: request.body,
  });
}

const label = (request: Recorded) => `${request.run} ${request.path.split('/').at(-1)}`;

describe('gemini-cli recorded requests → Gemini deployment (passthrough)', () => {
  let gateway: Gateway;
  let sim: Simulator;
  before(async () => {
    gateway = await startGateway({ upstreams: { up: { type: 'gemini', apiKey: 'upstream-key' } }, config: MODELS });
    sim = simOf(gateway, 'up');
  });
  after(() => gateway.close());

  for (const request of recorded) {
    it(`${label(request)}: served as recorded`, async () => {
      sim.reset();
      const { response: answer } = request;
      if (answer.frames) sim.enqueue({ kind: 'sse-events', events: answer.frames });
      else if (answer.body !== undefined) sim.enqueue({ kind: 'json', body: Buffer.from(answer.body) });
      const response = await send(gateway, request);
      const text = await response.text();
      assert.equal(response.status, 200, `${label(request)}: ${text.slice(0, 300)}`);
      if (request.path.endsWith(':countTokens')) {
        assert.ok((asRecord(JSON.parse(text), 'count').totalTokens as number) > 0, 'a token count');
        assert.equal(sim.requests.length, 0, 'counted by llmux');
        return;
      }
      assert.equal(text, answer.frames ? answer.frames.join('') : answer.body, 'the recorded bytes');
      const upstream = sim.requests[0];
      assert.ok(upstream, 'one upstream request');
      assert.deepEqual(upstream.json, JSON.parse(request.body), 'the body as the CLI sent it');
      assert.equal(upstream.path, `${request.path}${answer.stream ? '?alt=sse' : ''}`, 'the model in the URL');
    });
  }
});

/** gemini-cli always sends `topK`, which OpenAI chat has no field for: the deployment drops it with a warning. */
const LENIENT_MODELS = `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: "gemini-*"
    deployments: [{ provider: up, model: "gemini-*", capabilities: { dropUnsupported: true } }]
`;

describe('gemini-cli recorded requests → OpenAI-compatible deployment (translated)', () => {
  let gateway: Gateway;
  let sim: Simulator;
  before(async () => {
    gateway = await startGateway({ upstreams: { up: 'openai-compatible' }, config: LENIENT_MODELS });
    sim = simOf(gateway, 'up');
    sim.setDefault((req) =>
      asRecord(req.json, 'body').stream === true
        ? { kind: 'sse-events', events: openAIStreamFrames(['The secret ', 'word is PAPAYA-42.']) }
        : openAIAnswer('{"complexity_reasoning":"n/a","complexity_score":1}'),
    );
  });
  after(() => gateway.close());

  for (const request of recorded) {
    it(`${label(request)}: a well-formed Gemini answer`, async () => {
      const before = sim.requests.length;
      const response = await send(gateway, request);
      const text = await response.text();
      assert.equal(response.status, 200, `${label(request)}: ${text.slice(0, 300)}`);
      if (request.path.endsWith(':countTokens')) {
        assert.ok((asRecord(JSON.parse(text), 'count').totalTokens as number) > 258, 'the image and the text counted');
        return;
      }
      const upstream = asRecord(sim.requests[before]?.json, 'upstream body');
      if (request.body.includes('"topK"'))
        assert.match(response.headers.get('x-llmux-warnings') ?? '', /top_k/, 'topK dropped, said so');
      assert.ok(
        !JSON.stringify(upstream).includes('skip_thought_signature_validator'),
        'no sentinel signature upstream',
      );
      if (!request.response.stream) {
        const candidate = asRecord(asArray(asRecord(JSON.parse(text), 'answer').candidates, 'candidates')[0], 'c');
        assert.equal(candidate.finishReason, 'STOP');
        assert.equal(asRecord(upstream.response_format, 'response_format').type, 'json_schema', 'JSON mode kept');
        return;
      }
      const chunks = text
        .split('\r\n\r\n')
        .filter((frame) => frame.startsWith('data: '))
        .map((frame) => asRecord(JSON.parse(frame.slice(6)), 'chunk'));
      const last = asRecord(asArray(chunks.at(-1)?.candidates, 'candidates')[0], 'candidate');
      assert.equal(last.finishReason, 'STOP', 'finishReason on the last chunk');
      assert.ok(chunks.at(-1)?.usageMetadata, 'usage on the last chunk');
      assert.equal(asArray(upstream.tools, 'tools').length, 8, 'the 8 CLI tools from parametersJsonSchema');
      checkToolPairing(request, upstream);
    });
  }
});

/** A turn that replays a function call: the call's invented id and its response's id match upstream. */
function checkToolPairing(request: Recorded, upstream: JsonRecord): void {
  if (!request.body.includes('"functionResponse"')) return;
  const messages = asArray(upstream.messages, 'messages').map((m) => asRecord(m, 'message'));
  const assistant = messages.find((m) => m.role === 'assistant');
  const call = asRecord(asArray(assistant?.tool_calls, 'tool_calls')[0], 'call');
  const tool = messages.find((m) => m.role === 'tool');
  assert.match(String(call.id), /^read_file_\d+_0$/, "the CLI's own id");
  assert.equal(tool?.tool_call_id, call.id, 'the response paired with the call');
  assert.equal(tool?.content, 'The secret word is PAPAYA-42.\n', '{output} unwrapped');
}
