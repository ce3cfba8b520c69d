/** The admin API for teams, usage and the request log (issue 9), and GET /v1/key. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { type AdminSetup, type AnyJson, STATIC_DEMO_KEY, startAdminApp, USER } from './admin-support.ts';

describe('admin API: teams, usage, requests; GET /v1/key', () => {
  let setup: AdminSetup;
  before(async () => {
    setup = await startAdminApp();
  });
  after(async () => {
    await setup.close();
  });

  it("a managed team's allow-list and changes reach its keys; it cannot be deleted while keys are live", async () => {
    const team = await setup.admin('POST', '/admin/teams', { name: 'research', models: ['demo'], rpm: 100 });
    assert.equal(team.status, 201, `created: ${JSON.stringify(team.json)}`);
    const key = (await setup.admin('POST', '/admin/keys', { name: 'researcher', team: 'research' })).json;
    const client = setup.client(key.key);
    assert.deepEqual(
      (await client.models.list()).data.map((model) => model.id),
      ['demo'],
      "the team's list narrows the key's *",
    );
    const patched = await setup.admin('PATCH', '/admin/teams/research', { models: ['*'], rpm: null });
    assert.equal(patched.status, 200, 'patched');
    assert.equal(patched.json.rpm, null, 'rpm cleared');
    assert.deepEqual(
      (await client.models.list()).data.map((model) => model.id).sort(),
      ['demo', 'other'],
      'the team change applies at once',
    );
    const busy = await setup.admin('DELETE', '/admin/teams/research');
    assert.equal(busy.status, 409, 'a team with live keys stays');
    await setup.admin('DELETE', `/admin/keys/${key.id}`);
    const deleted = await setup.admin('DELETE', '/admin/teams/research');
    assert.equal(deleted.status, 200, 'deleted once its keys are revoked');
    assert.equal((await setup.admin('GET', '/admin/teams/research')).status, 404, 'gone');
  });

  it('lists the config teams read-only with the managed ones', async () => {
    await setup.admin('POST', '/admin/teams', { name: 'listed', budget: { usd: 10, period: 'week' } });
    const list = await setup.admin('GET', '/admin/teams');
    assert.equal(list.status, 200, 'listed');
    const byName = new Map(list.json.data.map((team: AnyJson) => [team.name, team]));
    assert.equal((byName.get('ops') as AnyJson)?.static, true, 'the config team is flagged static');
    assert.deepEqual((byName.get('listed') as AnyJson)?.budget, { usd: 10, period: 'week' }, 'a managed team');
    assert.equal(
      (await setup.admin('PATCH', '/admin/teams/ops', { rpm: 1 })).status,
      409,
      'config teams are read-only',
    );
    assert.equal((await setup.admin('DELETE', '/admin/teams/ops')).status, 409, 'and stay');
  });

  it('usage by key and model, and the request log filtered by key, with costs in USD', async () => {
    const key = (await setup.admin('POST', '/admin/keys', { name: 'metered' })).json;
    const client = setup.client(key.key);
    for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: 'demo', messages: USER });
    await client.chat.completions.create({ model: 'other', messages: USER });
    await setup.app.store.requestLog.flush();
    const byModel = await setup.admin('GET', `/admin/usage?groupBy=model&key=${key.id}&from=0`);
    assert.equal(byModel.status, 200, `usage: ${JSON.stringify(byModel.json)}`);
    const rows = new Map(byModel.json.data.map((row: AnyJson) => [row.group, row]));
    assert.equal((rows.get('demo') as AnyJson)?.requests, 3, '3 requests on demo');
    assert.equal((rows.get('other') as AnyJson)?.requests, 1, '1 on other');
    assert.equal((rows.get('demo') as AnyJson)?.inputTokens, 15, 'input tokens summed');
    assert.equal(typeof (rows.get('demo') as AnyJson)?.costUsd, 'number', 'cost in USD');
    const byName = await setup.admin('GET', '/admin/usage?groupBy=key&key=metered');
    assert.equal(byName.json.data[0]?.requests, 4, 'a key may be named instead of its id');
    const log = await setup.admin('GET', `/admin/requests?key=${key.id}&model=demo&limit=2`);
    assert.equal(log.status, 200, 'request log');
    assert.equal(log.json.data.length, 2, 'limit applies');
    assert.ok(
      log.json.data.every((row: AnyJson) => row.keyId === key.id && row.publicModel === 'demo' && 'costUsd' in row),
      'filtered by key and model, with cost',
    );
    const bad = await setup.admin('GET', '/admin/usage?groupBy=colour');
    assert.equal(bad.status, 400, 'bad groupBy');
    assert.equal(bad.json.error.param, 'groupBy', 'named');
  });

  it('GET /v1/key describes the calling key: models, team, limits and budget', async () => {
    const response = await fetch(`${setup.url}/v1/key`, { headers: { authorization: `Bearer ${STATIC_DEMO_KEY}` } });
    assert.equal(response.status, 200, 'answered');
    const info = (await response.json()) as AnyJson;
    assert.equal(info.name, 'demo-only', 'the name');
    assert.deepEqual(info.models, ['demo'], 'the models');
    assert.deepEqual(info.limits, { rpm: 60, tpm: null, max_concurrent: null }, 'the limits');
    assert.equal(info.budget.limit_usd, 25, 'the budget');
    assert.equal(info.budget.period, 'month', 'its period');
    assert.equal(info.team.name, 'ops', 'the team');
    assert.equal(info.team.limits.rpm, 600, "the team's limits");
    assert.ok(!JSON.stringify(info).includes(STATIC_DEMO_KEY), 'never the secret');
    const sdk = new OpenAI({ baseURL: `${setup.url}/v1`, apiKey: 'sk-llmux-nobody', maxRetries: 0 });
    await assert.rejects(sdk.get('/key'), OpenAI.AuthenticationError, 'an unknown key gets 401');
  });
});
