/**
 * Issue 9's tenancy scenarios, run against one llmux (SQLite, in-process limits) or several
 * replicas (Postgres + Redis): the same assertions must hold either way.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';

export const ADMIN_KEY = 'llmux-tenancy-admin-key-0123';
export const USER = [{ role: 'user' as const, content: 'hello there' }];

export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field and asserted.
  json: any;
}

export async function chat(
  url: string,
  key: string,
  body: object = { model: 'smart', messages: USER },
): Promise<Answer> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

export async function admin(url: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${ADMIN_KEY}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

/** `total` requests at once, spread over the replicas in turn. */
export function burst(urls: readonly string[], total: number, send: (url: string) => Promise<Answer>) {
  return Promise.all(Array.from({ length: total }, (_, i) => send(urls[i % urls.length] as string)));
}

/**
 * rpm 60: of 200 requests at once across the replicas, 60 are admitted (plus at most what refills
 * during the burst, one a second), the rest get 429 rate_limit_exceeded with OpenAI's headers.
 */
export async function rpmBurstHolds(urls: readonly string[], key: string): Promise<void> {
  const started = performance.now();
  const answers = await burst(urls, 200, (url) => chat(url, key));
  const seconds = (performance.now() - started) / 1000;
  const admitted = answers.filter((answer) => answer.status === 200).length;
  const refill = Math.ceil(seconds) + 1;
  assert.ok(admitted >= 60 && admitted <= 60 + refill, `60 admitted (+${refill} refill at most), got ${admitted}`);
  const refused = answers.filter((answer) => answer.status !== 200);
  assert.equal(refused.length, 200 - admitted, 'every other request is refused');
  for (const answer of refused) {
    assert.equal(answer.status, 429, `refused with 429 (${JSON.stringify(answer.json)})`);
    assert.equal(answer.json.error.code, 'rate_limit_exceeded', 'code rate_limit_exceeded');
    assert.match(answer.json.error.message, /60 requests per minute/, 'the message names the limit');
    assert.ok(Number(answer.headers.get('retry-after')) >= 1, 'retry-after in whole seconds');
    assert.equal(answer.headers.get('x-ratelimit-limit-requests'), '60', 'x-ratelimit-limit-requests');
    assert.equal(answer.headers.get('x-ratelimit-remaining-requests'), '0', 'nothing remains');
    assert.ok(answer.headers.get('x-ratelimit-reset-requests'), 'x-ratelimit-reset-requests');
  }
  const served = answers.find((answer) => answer.status === 200);
  assert.equal(served?.headers.get('x-ratelimit-limit-requests'), '60', 'a served answer carries the headers too');
}

/**
 * A budget of a few requests' worth under 50 concurrent requests: spend never passes it, and once
 * it is exhausted the next request gets 429 insufficient_quota with `x-should-retry: false`.
 */
export async function budgetHolds(
  urls: readonly string[],
  key: { id: string; secret: string; budgetMicros: number },
  spentMicros: () => Promise<number>,
): Promise<void> {
  const body = { model: 'smart', messages: USER, max_tokens: 10 };
  const answers = await burst(urls, 50, (url) => chat(url, key.secret, body));
  const admitted = answers.filter((answer) => answer.status === 200).length;
  const refused = answers.filter((answer) => answer.status !== 200);
  assert.ok(admitted >= 1 && refused.length >= 1, `some admitted (${admitted}), some refused (${refused.length})`);
  for (const answer of refused) {
    assert.equal(answer.status, 429, `refused with 429 (${JSON.stringify(answer.json)})`);
    assert.equal(answer.json.error.code, 'insufficient_quota', 'code insufficient_quota');
    assert.equal(answer.json.error.type, 'insufficient_quota', 'type insufficient_quota (what OpenAI sends)');
    assert.equal(answer.headers.get('x-should-retry'), 'false', 'the SDKs are told not to retry');
  }
  // Spend the rest, one at a time, until the budget refuses twice in a row. A refusal right after a
  // request may come from its reservation, released by the settlement that follows the answer.
  let last: Answer | undefined;
  for (let i = 0, refusals = 0; i < 60 && refusals < 2; i++) {
    last = await chat(urls[i % urls.length] as string, key.secret, body);
    refusals = last.status === 200 ? 0 : refusals + 1;
    if (last.status !== 200) await sleep(300);
  }
  assert.equal(last?.status, 429, 'the request after exhaustion is refused');
  assert.equal(last?.json.error.code, 'insufficient_quota', 'with insufficient_quota');
  const spent = await spentMicros();
  assert.ok(spent > 0, `spend was recorded (${spent} µUSD)`);
  assert.ok(spent <= key.budgetMicros, `spend ${spent} µUSD never passes the budget of ${key.budgetMicros} µUSD`);
  const sdk = new OpenAI({ baseURL: `${urls[0]}/v1`, apiKey: key.secret, maxRetries: 2 });
  const error = await sdk.chat.completions.create(body).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof OpenAI.RateLimitError, 'the openai SDK raises RateLimitError');
  assert.equal((error as InstanceType<typeof OpenAI.RateLimitError>).code, 'insufficient_quota', 'code in the SDK');
}

/** A managed key revoked on the first replica is refused by every other one within 1 s. */
export async function revocationSpreads(urls: readonly string[]): Promise<void> {
  const created = await admin(urls[0] as string, 'POST', '/admin/keys', { name: 'short-lived', models: ['*'] });
  assert.equal(created.status, 201, `created (${JSON.stringify(created.json)})`);
  const secret: string = created.json.key;
  for (const url of urls) {
    let answer = await chat(url, secret);
    // A replica that has not heard of the new key yet gets it at the next notice or refresh.
    for (let i = 0; answer.status === 401 && i < 40; i++) answer = await sleep(50).then(() => chat(url, secret));
    assert.equal(answer.status, 200, `the new key works on ${url}`);
  }
  const revoked = await admin(urls[0] as string, 'DELETE', `/admin/keys/${created.json.id}`);
  assert.equal(revoked.status, 200, `revoked (${JSON.stringify(revoked.json)})`);
  const since = performance.now();
  for (const url of urls) {
    let answer = await chat(url, secret);
    while (answer.status === 200 && performance.now() - since < 1000) answer = await chat(url, secret);
    assert.equal(answer.status, 401, `${url} refuses the revoked key within 1 s`);
    assert.equal(answer.json.error.code, 'invalid_api_key', 'invalid_api_key');
  }
}
