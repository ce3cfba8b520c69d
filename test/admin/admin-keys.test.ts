/** The admin API for keys (issue 9): auth, create → use with the openai SDK → revoke, rotate, lists, secrets. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { type AdminSetup, type AnyJson, STATIC_KEY, startAdminApp, USER } from './admin-support.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function assertEnvelope(json: AnyJson, code: string | null, what: string): void {
  assert.ok(json && typeof json.error === 'object', `${what}: an OpenAI error envelope`);
  assert.deepEqual(Object.keys(json.error).sort(), ['code', 'message', 'param', 'type'], `${what}: its four fields`);
  assert.equal(json.error.code, code, `${what}: code`);
}

describe('admin API: keys', () => {
  let setup: AdminSetup;
  const secrets: string[] = [];
  const getBodies: string[] = [];
  const get = async (path: string) => {
    const answer = await setup.admin('GET', path);
    getBodies.push(JSON.stringify(answer.json));
    return answer;
  };
  const create = async (body: object) => {
    const answer = await setup.admin('POST', '/admin/keys', body);
    assert.equal(answer.status, 201, `created: ${JSON.stringify(answer.json)}`);
    secrets.push(answer.json.key);
    return answer.json;
  };

  before(async () => {
    setup = await startAdminApp();
  });
  after(async () => {
    await setup.close();
  });

  it('refuses a missing key, a wrong key and a client key with 401 invalid_api_key', async () => {
    const none = await fetch(`${setup.url}/admin/keys`);
    assert.equal(none.status, 401, 'no key');
    assertEnvelope(await none.json(), 'invalid_api_key', 'no key');
    const wrong = await setup.admin('GET', '/admin/keys', undefined, 'llmux-admin-key-wrong');
    assert.equal(wrong.status, 401, 'wrong key');
    assertEnvelope(wrong.json, 'invalid_api_key', 'wrong key');
    const client = await setup.admin('POST', '/admin/keys', { name: 'x' }, STATIC_KEY);
    assert.equal(client.status, 401, 'a client key is no admin key');
    assertEnvelope(client.json, 'invalid_api_key', 'client key');
    const ready = (await (await fetch(`${setup.url}/health/ready`)).json()) as { failedAuthentications: number };
    assert.ok(ready.failedAuthentications >= 3, 'the front door counted the failed admin authentications');
  });

  it('creates a key the openai SDK can use; revoked, it gets 401 invalid_api_key', async () => {
    const created = await create({ name: 'sdk-user', models: ['demo'], metadata: { owner: 'alice' } });
    assert.match(created.key, /^sk-llmux-[0-9A-Za-z]{40}$/, 'sk-llmux- and 40 base62 characters');
    assert.match(created.id, /^key_[0-9A-Za-z]{16}$/, 'a key id');
    assert.equal(created.prefix, created.key.slice(0, 12), 'the prefix is the first 12 characters');
    const completion = await setup.client(created.key).chat.completions.create({ model: 'demo', messages: USER });
    assert.equal(completion.choices[0]?.message.content, 'hello', 'the new key is served at once');
    const revoked = await setup.admin('DELETE', `/admin/keys/${created.id}`);
    assert.equal(revoked.status, 200, 'revoked');
    assert.ok(revoked.json.revokedAt, 'with its revocation time');
    await assert.rejects(
      setup.client(created.key).chat.completions.create({ model: 'demo', messages: USER }),
      (error) => {
        assert.ok(error instanceof OpenAI.AuthenticationError, 'a 401 the SDK recognises');
        assert.equal(error.code, 'invalid_api_key', 'code invalid_api_key');
        return true;
      },
    );
  });

  it('rotates a key: same id, the old secret dead, the new one working', async () => {
    const created = await create({ name: 'rotating' });
    const rotated = await setup.admin('POST', `/admin/keys/${created.id}/rotate`);
    assert.equal(rotated.status, 200, 'rotated');
    secrets.push(rotated.json.key);
    assert.equal(rotated.json.id, created.id, 'the same id');
    assert.notEqual(rotated.json.key, created.key, 'a new secret');
    assert.equal(rotated.json.prefix, rotated.json.key.slice(0, 12), 'the prefix follows the new secret');
    await assert.rejects(
      setup.client(created.key).chat.completions.create({ model: 'demo', messages: USER }),
      OpenAI.AuthenticationError,
    );
    const ok = await setup.client(rotated.json.key).chat.completions.create({ model: 'demo', messages: USER });
    assert.equal(ok.choices[0]?.message.content, 'hello', 'the new secret works');
  });

  it('an expired key is refused', async () => {
    const created = await create({ name: 'expired', expiresAt: '2020-01-01T00:00:00Z' });
    assert.equal(created.expired, true, 'shown as expired');
    await assert.rejects(
      setup.client(created.key).chat.completions.create({ model: 'demo', messages: USER }),
      OpenAI.AuthenticationError,
    );
  });

  it('lists static keys read-only first, then managed keys, page by page', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await create({ name });
    const first = await get('/admin/keys?limit=2');
    assert.equal(first.status, 200, 'listed');
    assert.deepEqual(
      first.json.data.map((key: AnyJson) => [key.id, key.static]),
      [
        ['static:all', true],
        ['static:demo-only', true],
      ],
      'the config keys first, flagged static',
    );
    assert.equal(first.json.has_more, true, 'more to come');
    const all = await get('/admin/keys?limit=1000');
    const total = all.json.total;
    assert.equal(all.json.data.length, total, 'one page holds them all');
    const pages: AnyJson[] = [];
    for (let offset = 0; offset < total; offset += 2)
      pages.push(...(await get(`/admin/keys?limit=2&offset=${offset}`)).json.data);
    assert.deepEqual(
      pages.map((key) => key.id),
      all.json.data.map((key: AnyJson) => key.id),
      'pages of 2 walk the same list',
    );
    const last = await get(`/admin/keys?limit=2&offset=${total - 1}`);
    assert.equal(last.json.has_more, false, 'the last page says so');
    assert.ok(!all.json.data.some((key: AnyJson) => key.name === 'sdk-user'), 'revoked keys are not listed by default');
    const withRevoked = await get('/admin/keys?limit=1000&includeRevoked=true');
    assert.ok(
      withRevoked.json.data.some((key: AnyJson) => key.name === 'sdk-user'),
      'unless asked',
    );
  });

  it('static keys cannot be changed through the API (409), nor can their names be taken', async () => {
    for (const [method, path] of [
      ['PATCH', '/admin/keys/static:all'],
      ['DELETE', '/admin/keys/static:all'],
      ['POST', '/admin/keys/static:all/rotate'],
    ] as const) {
      const answer = await setup.admin(method, path, method === 'PATCH' ? { rpm: 5 } : undefined);
      assert.equal(answer.status, 409, `${method} ${path}`);
      assert.match(answer.json.error.message, /config/, 'says to edit the config');
    }
    const shown = await get('/admin/keys/static:demo-only');
    assert.equal(shown.status, 200, 'a static key is shown');
    assert.equal(shown.json.static, true, 'flagged static');
    assert.deepEqual(shown.json.budget, { usd: 25, period: 'month' }, 'with its budget');
    assert.equal(shown.json.team, 'ops', 'and team');
    const clash = await setup.admin('POST', '/admin/keys', { name: 'all' });
    assert.equal(clash.status, 409, 'a managed key may not take a static name');
    const teamClash = await setup.admin('POST', '/admin/teams', { name: 'ops' });
    assert.equal(teamClash.status, 409, 'a managed team may not take a config team name');
  });

  it('rejects bad bodies with 400 naming the field', async () => {
    const cases: Array<[object, string]> = [
      [{}, 'name'],
      [{ name: 'x', rpm: 0 }, 'rpm'],
      [{ name: 'x', budget: { usd: -1 } }, 'budget.usd'],
      [{ name: 'x', bogus: true }, 'bogus'],
      [{ name: 'x', team: 'no-such-team' }, 'team'],
      [{ name: 'x', expiresAt: 'next tuesday' }, 'expiresAt'],
    ];
    for (const [body, param] of cases) {
      const answer = await setup.admin('POST', '/admin/keys', body);
      assert.equal(answer.status, 400, `${JSON.stringify(body)} → 400`);
      assert.equal(answer.json.error.param, param, `${JSON.stringify(body)} names ${param}`);
    }
    const query = await get('/admin/keys?limit=0');
    assert.equal(query.status, 400, 'a bad query parameter');
    assert.equal(query.json.error.param, 'limit', 'named');
    const missing = await get('/admin/keys/key_doesnotexist0000');
    assert.equal(missing.status, 404, 'an unknown id');
  });

  it('updates a key: limits, models and clearing with null', async () => {
    const created = await create({ name: 'patched', rpm: 10, budget: { usd: 1 } });
    const patched = await setup.admin('PATCH', `/admin/keys/${created.id}`, {
      rpm: null,
      models: ['other'],
      tpm: 1000,
    });
    assert.equal(patched.status, 200, 'patched');
    assert.equal(patched.json.rpm, null, 'rpm cleared');
    assert.equal(patched.json.tpm, 1000, 'tpm set');
    assert.deepEqual(patched.json.budget, { usd: 1, period: 'month' }, 'budget kept, period defaulted');
    await assert.rejects(
      setup.client(created.key).chat.completions.create({ model: 'demo', messages: USER }),
      (error) => error instanceof OpenAI.NotFoundError && error.code === 'model_not_found',
      'the new allow-list applies at once',
    );
  });

  it('never shows a secret in GET responses or logs; the store keeps only the hash', async () => {
    assert.ok(secrets.length >= 5, 'secrets were made');
    await get('/admin/keys?limit=1000&includeRevoked=true');
    for (const body of getBodies) for (const secret of secrets) assert.ok(!body.includes(secret), 'no secret in a GET');
    const logs = setup.logText();
    for (const secret of secrets) assert.ok(!logs.includes(secret), 'no secret in the log');
    const db = new Database(join(setup.dataDir, 'llmux.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT * FROM api_keys').all() as Array<Record<string, unknown>>;
      const dump = JSON.stringify(rows);
      for (const secret of secrets) assert.ok(!dump.includes(secret), 'no secret in the store');
      const hashes = new Set(rows.map((row) => row.hash));
      assert.ok(hashes.has(sha256(secrets.at(-1) ?? '')), 'the SHA-256 hex of the secret is stored');
    } finally {
      db.close();
    }
  });
});

describe('admin API without server.adminKey', () => {
  let setup: AdminSetup;
  before(async () => {
    setup = await startAdminApp({ adminKey: undefined });
  });
  after(async () => {
    await setup.close();
  });

  it('answers 404 on every /admin route, whatever key is sent', async () => {
    for (const key of ['', 'anything', STATIC_KEY]) {
      const answer = await setup.admin('GET', '/admin/keys', undefined, key);
      assert.equal(answer.status, 404, `404 with key "${key}"`);
    }
    const post = await setup.admin('POST', '/admin/keys', { name: 'x' }, STATIC_KEY);
    assert.equal(post.status, 404, 'POST too');
  });
});
