/**
 * Finding the Postgres the store tests run against. Without one the Postgres tests are skipped on a
 * developer machine, but under CI (`CI` set) they fail: the suite must never pass by not running.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';

export const postgresCandidates: readonly string[] = [
  process.env.LLMUX_TEST_POSTGRES_URL,
  'postgres://postgres@127.0.0.1:5432/test',
  'postgres://root@127.0.0.1:5432/test',
].filter((url): url is string => Boolean(url));

/** The first candidate URL that accepts a connection and a query, or undefined. */
export async function findPostgres(): Promise<string | undefined> {
  for (const url of postgresCandidates) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('select 1');
      return url;
    } catch {
      // try the next candidate
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return undefined;
}

/** Stands in for a Postgres test when no Postgres is reachable: a skip, or under CI a failure. */
export function postgresUnreachable(name: string): void {
  const reason = `no Postgres reachable at ${postgresCandidates.join(' or ')}`;
  if (process.env.CI) {
    test(name, () => assert.fail(`${reason}; CI is set, so the Postgres tests must run`));
  } else {
    test(name, { skip: reason }, () => {});
  }
}
