/**
 * Gemini's thought signatures through `@anthropic-ai/sdk` → llmux's Anthropic Messages surface →
 * a Gemini 3 deployment, over a two-turn tool loop replayed from recorded Gemini bytes
 * (test/fixtures/gemini/vercel-ai/google-tool-call.chunks.txt and .json: a functionCall with its
 * thoughtSignature; google-reasoning-gemini3.chunks.txt: a signature on the final empty text part).
 * Gemini 3 answers 400 to a replayed call without its signature (llmux would send the
 * `skip_thought_signature_validator` sentinel instead): turn 2 must carry the recorded one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, afterEach, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { type Gateway, simOf, startGateway } from '../support/gateway.ts';
import { geminiJsonStep, geminiSseStep } from '../support/gemini-replay.ts';
import { asRecord } from '../support/json-guards.ts';
import type { Simulator } from '../support/upstream-simulator.ts';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const MODEL = 'gemini-3';
const TOOLS = [
  {
    name: 'weather',
    description: 'Weather in a city',
    input_schema: { type: 'object' as const, properties: { location: { type: 'string' } } },
  },
];

/** The thoughtSignature parts of a recorded stream (`*.chunks.txt`: one JSON chunk a line) or body. */
function recordedSignatures(rel: string): string[] {
  const text = readFileSync(new URL(rel, FIXTURES), 'utf8');
  return [...text.matchAll(/"thoughtSignature":\s*"([^"]+)"/g)].map((match) => match[1] as string);
}

type GeminiPart = Record<string, unknown> & { thoughtSignature?: string };

describe('Anthropic Messages → Gemini 3: thought signatures survive the client round trip', () => {
  let gateway: Gateway;
  let google: Simulator;
  let claude: Simulator;
  let anthropic: Anthropic;

  before(async () => {
    gateway = await startGateway({
      upstreams: { google: 'gemini', claude: { type: 'anthropic', apiKey: 'test-anthropic-key' } },
      config: `
router: { cooldown: { failures: 1000 }, retry: { attempts: 1 } }
models:
  - name: ${MODEL}
    deployments: [{ provider: google, model: gemini-3-pro-preview }]
  - name: claude-*
    deployments: [{ provider: claude, model: "claude-*" }]
`,
    });
    google = simOf(gateway, 'google');
    claude = simOf(gateway, 'claude');
    anthropic = new Anthropic({ apiKey: gateway.llmux.apiKey, baseURL: gateway.llmux.url, maxRetries: 0 });
  });
  after(() => gateway.close());
  afterEach(() => {
    assert.equal(google.pendingSteps(), 0, 'every scripted upstream step was used');
    google.reset();
    claude.reset();
  });

  const modelParts = (index: number): GeminiPart[] => {
    const contents = asRecord(google.requests[index]?.json, 'upstream body').contents as Array<{
      role: string;
      parts: GeminiPart[];
    }>;
    return contents.filter((content) => content.role === 'model').flatMap((content) => content.parts);
  };

  async function secondTurn(first: ContentBlock[]): Promise<void> {
    const toolUse = first.find((block) => block.type === 'tool_use');
    assert.ok(toolUse?.type === 'tool_use', 'turn 1 asked for a tool');
    google.enqueue(geminiJsonStep('gemini/vercel-ai/google-text.json'));
    const messages: MessageParam[] = [
      { role: 'user', content: 'Weather in San Francisco?' },
      { role: 'assistant', content: first },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'Sunny, 21°C' }] },
    ];
    const answer = await anthropic.messages.create({ model: MODEL, max_tokens: 1000, tools: TOOLS, messages });
    assert.equal(answer.content.at(-1)?.type, 'text', 'turn 2 answered');
  }

  it('streamed tool call: the functionCall signature rides in the tool_use id and goes back on turn 2', async () => {
    const [signature] = recordedSignatures('gemini/vercel-ai/google-tool-call.chunks.txt');
    assert.ok(signature, 'the recording has a signature');
    google.enqueue(geminiSseStep('gemini/vercel-ai/google-tool-call.chunks.txt'));
    const first = await anthropic.messages
      .stream({
        model: MODEL,
        max_tokens: 1000,
        tools: TOOLS,
        messages: [{ role: 'user', content: 'Weather in San Francisco?' }],
      })
      .finalMessage();
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    assert.ok(toolUse?.type === 'tool_use', 'a tool_use block');
    assert.match(toolUse.id, /^[a-zA-Z0-9_-]+$/, "an id in Anthropic's characters");
    await secondTurn(first.content);
    const call = modelParts(1).find((part) => part.functionCall !== undefined);
    assert.ok(call, 'turn 2 replays the function call');
    assert.equal(call.thoughtSignature, signature, 'with the recorded thoughtSignature, not the sentinel');
    const callId = asRecord(call.functionCall, 'functionCall').id;
    const contents = asRecord(google.requests[1]?.json, 'upstream body').contents as Array<{ parts: GeminiPart[] }>;
    const response = contents.flatMap((content) => content.parts).find((part) => part.functionResponse);
    assert.equal(
      asRecord(response?.functionResponse, 'functionResponse').id,
      callId,
      'the response answers the call id',
    );
    assert.ok(!String(callId).includes('llmuxsig'), 'the carrier is not sent to Gemini');
  });

  it('non-streaming tool call (the recorded JSON answer): the same round trip', async () => {
    const [signature] = recordedSignatures('gemini/vercel-ai/google-tool-call.json');
    google.enqueue(geminiJsonStep('gemini/vercel-ai/google-tool-call.json'));
    const first = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 1000,
      tools: TOOLS,
      messages: [{ role: 'user', content: 'Weather in San Francisco?' }],
    });
    await secondTurn(first.content);
    const call = modelParts(1).find((part) => part.functionCall !== undefined);
    assert.equal(call?.thoughtSignature, signature, 'the recorded thoughtSignature went back');
  });

  it('a signature on the final text part: a thinking block carries it, turn 2 restores it on the text', async () => {
    const signature = recordedSignatures('gemini/vercel-ai/google-reasoning-gemini3.chunks.txt').at(-1);
    google.enqueue(geminiSseStep('gemini/vercel-ai/google-reasoning-gemini3.chunks.txt'));
    const first = await anthropic.messages
      .stream({ model: MODEL, max_tokens: 1000, messages: [{ role: 'user', content: 'How many rs in strawberry?' }] })
      .finalMessage();
    const thinking = first.content.find((block) => block.type === 'thinking');
    assert.ok(thinking?.type === 'thinking', 'a thinking block holds the signature');
    assert.ok(thinking.signature.startsWith('llmux1.'), "llmux's carrier, not Gemini's raw signature");
    google.enqueue(geminiJsonStep('gemini/vercel-ai/google-text.json'));
    await anthropic.messages.create({
      model: MODEL,
      max_tokens: 1000,
      messages: [
        { role: 'user', content: 'How many rs in strawberry?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: 'And in raspberry?' },
      ],
    });
    const signed = modelParts(1).filter((part) => part.thoughtSignature !== undefined);
    assert.deepEqual(
      signed.map((part) => part.thoughtSignature),
      [signature],
      'the recorded signature went back once, on the model turn',
    );
  });

  it("a foreign signature (Claude's) is not sent to Gemini; the call gets the sentinel instead", async () => {
    google.enqueue(geminiJsonStep('gemini/vercel-ai/google-text.json'));
    await anthropic.messages.create({
      model: MODEL,
      max_tokens: 1000,
      tools: TOOLS,
      messages: [
        { role: 'user', content: 'Weather in San Francisco?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Use the tool.', signature: 'ErUBCkYIBRgCIkBclaudeSignature' },
            { type: 'tool_use', id: 'toolu_01', name: 'weather', input: { location: 'San Francisco' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'Sunny' }] },
      ],
    });
    const sent = JSON.stringify(google.requests[0]?.json);
    assert.ok(!sent.includes('ErUBCkYIBRgCIkBclaudeSignature'), "Claude's signature not sent to Gemini");
    const call = modelParts(0).find((part) => part.functionCall !== undefined);
    assert.equal(call?.thoughtSignature, 'skip_thought_signature_validator', 'the documented sentinel');
  });

  it('thinking blocks llmux wrote are not sent to an Anthropic deployment (it would refuse them)', async () => {
    claude.enqueue({
      kind: 'json',
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'Sunny.' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 2 },
      },
    });
    const { response } = await anthropic.messages
      .create({
        model: 'claude-sonnet-4-5',
        max_tokens: 1000,
        tools: TOOLS,
        messages: [
          { role: 'user', content: 'Weather in San Francisco?' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'From Gemini.', signature: 'llmux1.e30' },
              { type: 'text', text: 'Checking.' },
            ],
          },
          { role: 'user', content: 'Go on.' },
        ],
      })
      .withResponse();
    const sent = asRecord(claude.requests[0]?.json, 'upstream body');
    const assistant = (sent.messages as Array<{ role: string; content: Array<{ type: string }> }>).find(
      (message) => message.role === 'assistant',
    );
    assert.deepEqual(
      assistant?.content.map((block) => block.type),
      ['text'],
      "llmux's thinking block left out, the rest as sent",
    );
    assert.match(response.headers.get('x-llmux-warnings') ?? '', /thinking/, 'said in x-llmux-warnings');
  });
});
