/**
 * Config reload in-process (`LlmuxApp.reload`, `reloadConfig`): requests in flight finish on the
 * config they started with, new ones use the new config, and a config that does not load is
 * rejected with the running one kept.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { reloadConfig } from '../../src/app/reload.ts';
import { parseConfig } from '../../src/config/index.ts';
import { type RunningLlmux, startLlmux } from '../support/start-llmux.ts';
import { type Simulator, startUpstreamSimulator } from '../support/upstream-simulator.ts';
import { answer, logRow, streamFrames, USER } from './routing-support.ts';

const OLD_KEY = 'sk-llmux-reload-old-key';
const NEW_KEY = 'sk-llmux-reload-new-key';
const PIECES = ['one', ' two', ' three', ' four', ' five', ' six'];

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Sections {
  models: string;
  keys: string;
  extra?: string;
}

function yaml(sim: Simulator, dbPath: string, sections: Sections): string {
  return `providers:
  up: { type: openai-compatible, baseUrl: "${sim.url}/v1" }
store: { sqlite: ${JSON.stringify(dbPath)} }
models:
${sections.models}
keys:
${sections.keys}
${sections.extra ?? ''}`;
}

const SMART = '  - { name: smart, deployments: [{ provider: up, model: up-model }] }';
const FRESH = '  - { name: fresh, deployments: [{ provider: up, model: fresh-upstream-model }] }';

async function start(): Promise<{ sim: Simulator; llmux: RunningLlmux; dbPath: string; client(key: string): OpenAI }> {
  const sim = await startUpstreamSimulator();
  cleanups.push(() => sim.close());
  sim.route('/v1/chat/completions', (req) =>
    (req.json as { stream?: boolean }).stream
      ? { kind: 'sse-events', events: streamFrames(PIECES), delayMs: 100 }
      : answer('served'),
  );
  // startLlmux adds a store in its data directory; the reloaded configs name the same file.
  const llmux = await startLlmux(
    `providers:\n  up: { type: openai-compatible, baseUrl: "${sim.url}/v1" }\nmodels:\n${SMART}\nkeys:\n  - { name: old, key: ${OLD_KEY} }\n`,
  );
  cleanups.push(() => llmux.close());
  const dbPath = join(llmux.dataDir, 'llmux.db');
  const client = (key: string) => new OpenAI({ baseURL: llmux.baseURL, apiKey: key, maxRetries: 0, timeout: 15_000 });
  return { sim, llmux, dbPath, client };
}

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    assert.ok(error instanceof OpenAI.APIError, `an API error, got ${String(error)}`);
    return error.status ?? 0;
  }
}

describe('config reload (in-process)', () => {
  it('a stream in flight finishes on the old config; new requests get the new model and key, the removed key is refused', async () => {
    const { sim, llmux, dbPath, client } = await start();
    const { data: stream, response } = await client(OLD_KEY)
      .chat.completions.create({ model: 'smart', messages: USER, stream: true })
      .withResponse();
    const chunks = stream[Symbol.asyncIterator]();
    const first = await chunks.next();
    assert.equal(first.done, false, 'the stream started before the reload');

    const plan = llmux.app.reload(
      parseConfig(
        yaml(sim, dbPath, {
          models: `${SMART}\n${FRESH}`,
          keys: `  - { name: new, key: ${NEW_KEY} }`,
          extra: 'server: { maxChoices: 4 }',
        }),
        {},
        'reloaded.yaml',
      ),
    );
    assert.deepEqual(plan.ignored, [], 'nothing that needs a restart changed');

    let content = first.done ? '' : (first.value.choices[0]?.delta.content ?? '');
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next())
      content += next.value.choices[0]?.delta.content ?? '';
    assert.equal(content, PIECES.join(''), 'the stream in flight finished whole');
    const row = await logRow(llmux, response.headers.get('x-request-id'));
    assert.equal(row.status, 200, 'the stream is recorded as a success');
    assert.equal(row.keyName, 'old', 'recorded under the key it started with');

    const fresh = await client(NEW_KEY).chat.completions.create({ model: 'fresh', messages: USER });
    assert.equal(fresh.choices[0]?.message.content, 'served');
    const sent = sim.requests.at(-1)?.json as { model?: string } | undefined;
    assert.equal(sent?.model, 'fresh-upstream-model', 'the new model goes to its upstream model');
    assert.equal(
      await status(client(OLD_KEY).chat.completions.create({ model: 'smart', messages: USER })),
      401,
      'the removed key is refused',
    );
    assert.equal(
      await status(client(NEW_KEY).chat.completions.create({ model: 'smart', messages: USER, n: 8 })),
      400,
      'server.maxChoices changed live',
    );
    const models = await client(NEW_KEY).models.list();
    assert.deepEqual(
      models.data.map((model) => model.id),
      ['smart', 'fresh'],
      '/v1/models lists the new catalogue',
    );
  });

  it('an invalid config is rejected and the running one keeps serving', async () => {
    const { sim, llmux, dbPath, client } = await start();
    const applied = reloadConfig(llmux.app, () =>
      parseConfig(
        yaml(sim, dbPath, {
          models: '  - { name: broken, deployments: [{ provider: nowhere, model: x }] }',
          keys: `  - { name: new, key: ${NEW_KEY} }`,
          extra: 'router: { cooldown: { nonsense: 1 } }',
        }),
        {},
        'broken.yaml',
      ),
    );
    assert.equal(applied, false, 'the invalid config is rejected');
    const answerOld = await client(OLD_KEY).chat.completions.create({ model: 'smart', messages: USER });
    assert.equal(answerOld.choices[0]?.message.content, 'served', 'the old key and model still serve');
    assert.equal(
      await status(client(NEW_KEY).chat.completions.create({ model: 'smart', messages: USER })),
      401,
      'the key of the rejected config is not accepted',
    );
  });

  it('settings that need a restart are named and ignored', async () => {
    const { sim, llmux, client } = await start();
    const plan = llmux.app.reload(
      parseConfig(
        yaml(sim, join(llmux.dataDir, 'elsewhere.db'), {
          models: SMART,
          keys: `  - { name: old, key: ${OLD_KEY} }`,
          extra: 'server: { port: 4321, bodyLimitMb: 1 }',
        }),
        {},
        'restart.yaml',
      ),
    );
    assert.deepEqual(plan.ignored.sort(), ['server.bodyLimitMb', 'server.port', 'store'], 'named as ignored');
    const store = plan.config.store;
    assert.ok(store.kind === 'sqlite' && store.path.endsWith('llmux.db'), `the running store is kept: ${store.kind}`);
    assert.notEqual(plan.config.server.port, 4321, 'the running port is kept');
    const answered = await client(OLD_KEY).chat.completions.create({ model: 'smart', messages: USER });
    assert.equal(answered.choices[0]?.message.content, 'served', 'still serving after the reload');
  });
});
