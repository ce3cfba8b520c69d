/**
 * An upstream refusing llmux's own provider key is the operator's problem, not the client's: the
 * request goes on to another deployment, the refusing one cools down at once, the log says so at
 * error level, and with nowhere else to go the client gets 502 `upstream_auth_failed` naming the
 * provider, never the key. (Before: the client saw `401 invalid_api_key`, like a wrong llmux key.)
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import OpenAI, { InternalServerError } from 'openai';
import { openAIAnswer, openAIStreamFrames } from '../support/openai-steps.ts';
import { rejection } from '../support/sdk-helpers.ts';
import { type Simulator, type Step, startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { FRONT_DOOR_KEY, type FrontDoorLlmux, startFrontDoorLlmux } from './front-door-support.ts';

const BAD_KEY = 'sk-upstream-revoked-0123456789abcdef';
const GOOD_KEY = 'sk-upstream-fine-0123456789abcdef';
const USER = [{ role: 'user' as const, content: 'hi' }];

/** OpenAI's answer to a wrong key, echoing (part of) the key as it does. */
const invalidKey: Step = {
  kind: 'json',
  status: 401,
  body: {
    error: {
      message: `Incorrect API key provided: ${BAD_KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  },
};

interface Setup {
  llmux: FrontDoorLlmux;
  client: OpenAI;
  sims: Record<string, Simulator>;
}

async function start(providers: Record<string, string>, deployments: string[]): Promise<Setup> {
  const sims: Record<string, Simulator> = {};
  const lines: string[] = [];
  for (const [name, key] of Object.entries(providers)) {
    const sim = await startUpstreamSimulator();
    sims[name] = sim;
    lines.push(`  ${name}: { type: openai, apiKey: ${key}, baseUrl: "${sim.url}/v1" }`);
  }
  const llmux = await startFrontDoorLlmux(`
providers:
${lines.join('\n')}
router:
  cooldown: { failures: 1000, cooldownMs: 60000 }
  retry: { attempts: 3, backoffMs: 10, maxBackoffMs: 20 }
models:
  - name: smart
    strategy: priority
    deployments: [${deployments.map((provider) => `{ provider: ${provider}, model: gpt-4o-mini }`).join(', ')}]
`);
  const client = new OpenAI({ baseURL: `${llmux.url}/v1`, apiKey: FRONT_DOOR_KEY, maxRetries: 0, timeout: 15_000 });
  return { llmux, client, sims };
}

describe('an upstream refusing llmux’s provider key', () => {
  let setup: Setup | undefined;
  afterEach(async () => {
    await setup?.llmux.close();
    await Promise.all(Object.values(setup?.sims ?? {}).map((sim) => sim.close()));
    setup = undefined;
  });

  it('goes on to the next deployment, cools the refusing one at once and logs an error naming its provider', async () => {
    setup = await start({ revoked: BAD_KEY, fine: GOOD_KEY }, ['revoked', 'fine']);
    const { client, sims, llmux } = setup;
    sims.revoked?.setDefault(invalidKey);
    sims.fine?.setDefault(openAIAnswer('from fine'));

    const { data, response } = await client.chat.completions.create({ model: 'smart', messages: USER }).withResponse();
    assert.equal(data.choices[0]?.message.content, 'from fine', 'the second deployment served the request');
    assert.equal(response.headers.get('x-llmux-provider'), 'fine', 'served by the second deployment');
    assert.equal(sims.revoked?.requests.length, 1, 'the refusing deployment was tried once, not retried');

    const requestId = response.headers.get('x-request-id') ?? '';
    const errors = llmux
      .logLinesFor(requestId)
      .map((line) => JSON.parse(line) as { level: number; provider?: string; code?: string; msg: string });
    const authError = errors.find((line) => line.code === 'upstream_auth_failed');
    assert.ok(authError, `an upstream_auth_failed log line: ${JSON.stringify(errors)}`);
    assert.equal(authError.level, 50, 'logged at error level');
    assert.equal(authError.provider, 'revoked', 'the line names the provider');
    assert.ok(!llmux.logs.join('').includes(BAD_KEY), 'the log never carries the provider key');

    await client.chat.completions.create({ model: 'smart', messages: USER });
    sims.fine?.setDefault({ kind: 'sse-events', events: openAIStreamFrames(['again']) });
    const stream = await client.chat.completions.create({ model: 'smart', messages: USER, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(sims.revoked?.requests.length, 1, 'the cooling deployment got no further request');
    assert.equal(sims.fine?.requests.length, 3, 'the others went straight to the next deployment');
    assert.equal(text, 'again', 'the stream was served by the next deployment');
  });

  it('with no other deployment: 502 upstream_auth_failed in the OpenAI envelope, naming the provider, not the key', async () => {
    setup = await start({ revoked: BAD_KEY }, ['revoked']);
    const { client, sims } = setup;
    sims.revoked?.setDefault(invalidKey);

    const error = await rejection(
      client.chat.completions.create({ model: 'smart', messages: USER }),
      InternalServerError,
    );
    assert.equal(error.status, 502, 'a gateway error, not a 401 the client would blame on its own key');
    assert.equal(error.code, 'upstream_auth_failed');
    assert.equal(error.type, 'upstream_error');
    assert.match(error.message, /Provider "revoked" rejected the credentials llmux uses for it/);
    const body = JSON.stringify(error.error);
    assert.ok(!body.includes(BAD_KEY) && !body.includes('sk-upstream'), `the envelope carries no key: ${body}`);
    assert.equal(sims.revoked?.requests.length, 1, 'the same deployment is not retried with the same key');
  });
});
