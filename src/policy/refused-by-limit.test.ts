import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { GatewayError } from '../core/errors.ts';
import type { RequestFacts } from './admission.ts';
import type { ApiKeyEntry } from './key-store.ts';
import { MemoryLimiter } from './limits/memory-limiter.ts';
import type { LimitRules } from './limits/types.ts';
import { newRequestRecord } from './request-record.ts';
import { TenancyPolicy } from './tenancy-policy.ts';

function policy(): TenancyPolicy {
  return new TenancyPolicy({
    limiter: new MemoryLimiter({ spendSource: async () => 0 }),
    prices: { priceFor: () => undefined },
    unpriced: 'allow',
    onStoreError: 'open',
    defaultMaxOutputTokens: 100,
    providerType: () => undefined,
    write: () => undefined,
    logger: pino({ level: 'silent' }),
  });
}

function key(limits: LimitRules, teamLimits?: LimitRules): ApiKeyEntry {
  return {
    id: 'static:app',
    name: 'app',
    models: ['*'],
    team: teamLimits === undefined ? undefined : { name: 'research', models: ['*'], limits: teamLimits },
    limits,
    expiresAt: undefined,
    managed: false,
  };
}

function facts(requestId: string): RequestFacts {
  return {
    requestId,
    surface: 'openai-chat',
    publicModel: 'gpt',
    stream: false,
    bodyBytes: undefined,
    maxOutputTokens: 10,
    choices: 1,
    inputTokens: () => 10,
    targets: () => [],
  };
}

/** Admits two requests of `entry`; returns the second one's record after settlement. */
async function secondRequest(entry: ApiKeyEntry, id: string) {
  const subject = policy();
  const first = await subject.admit(entry, facts(`${id}-1`));
  const record = newRequestRecord(`${id}-2`, null, Date.now());
  await assert.rejects(subject.admit(entry, facts(`${id}-2`)), (error: unknown) => error instanceof GatewayError);
  subject.settle(undefined, record);
  const served = newRequestRecord(`${id}-1`, null, Date.now());
  subject.settle(first, served);
  assert.equal(served.refusedByLimit, undefined, 'an admitted request names no limit');
  return record;
}

test('a request refused at admission gets the name of the limit on its record, as the config names it', async () => {
  assert.equal((await secondRequest(key({ rpm: 1 }), 'rpm')).refusedByLimit, 'rpm');
  assert.equal((await secondRequest(key({ tpm: 25 }), 'tpm')).refusedByLimit, 'tpm');
  assert.equal((await secondRequest(key({ maxConcurrent: 1 }), 'concurrency')).refusedByLimit, 'maxConcurrent');
  assert.equal((await secondRequest(key({}, { rpm: 1 }), 'team')).refusedByLimit, 'team.rpm');
});
