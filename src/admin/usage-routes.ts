import type { FastifyInstance } from 'fastify';
import { STATIC_KEY_ID_PREFIX } from '../policy/key-entries.ts';
import type { RequestLogQuery, UsageGroupBy, UsageRow } from '../store/types.ts';
import type { AdminDeps } from './admin-context.ts';
import { badField } from './admin-errors.ts';
import { type Query, queryChoice, queryInstant, queryInteger, queryText } from './query.ts';
import { cursorText, parseCursor, requestView } from './request-views.ts';
import { microsToUsd } from './views.ts';

const GROUPS: readonly UsageGroupBy[] = ['key', 'team', 'model', 'provider', 'day'];
const DEFAULT_WINDOW_MS = 30 * 24 * 3600 * 1000;

/** `GET /admin/usage` (aggregated request log) and `GET /admin/requests` (the log itself). */
export function registerUsageRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  const now = deps.now ?? Date.now;
  const { directory, store } = deps;
  /** A key given by id, or by the name of a live key. */
  const keyIdOf = (key: string): string =>
    key.startsWith('key_') || key.startsWith(STATIC_KEY_ID_PREFIX) ? key : (directory.keyNamed(key)?.id ?? key);

  scope.get('/admin/usage', async (request) => {
    const query = request.query as Query;
    const to = queryInstant(query, 'to') ?? now();
    const from = queryInstant(query, 'from') ?? to - DEFAULT_WINDOW_MS;
    if (from > to) throw badField('from', '`from` must not be after `to`.');
    const groupBy = queryChoice(query, 'groupBy', GROUPS) ?? 'model';
    const key = queryText(query, 'key');
    const team = queryText(query, 'team');
    const model = queryText(query, 'model');
    const rows = await store.usage({
      from,
      to,
      groupBy,
      ...(key === undefined ? {} : { keyId: keyIdOf(key) }),
      ...(team === undefined ? {} : { team }),
      ...(model === undefined ? {} : { publicModel: model }),
    });
    return {
      object: 'list',
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      groupBy,
      data: rows.map(usageRowView),
    };
  });

  scope.get('/admin/requests', async (request) => {
    const query = request.query as Query;
    const filter: RequestLogQuery = { limit: queryInteger(query, 'limit', { min: 1, max: 10_000 }) ?? 100 };
    const key = queryText(query, 'key');
    if (key !== undefined) filter.keyId = keyIdOf(key);
    const keyName = queryText(query, 'keyName');
    if (keyName !== undefined) filter.keyName = keyName;
    const before = queryText(query, 'before');
    if (before !== undefined) filter.before = parseCursor(before);
    const team = queryText(query, 'team');
    if (team !== undefined) filter.team = team;
    const model = queryText(query, 'model');
    if (model !== undefined) filter.publicModel = model;
    const status = queryInteger(query, 'status', { min: 100, max: 599 });
    if (status !== undefined) filter.status = status;
    const since = queryInstant(query, 'since');
    if (since !== undefined) filter.since = since;
    const until = queryInstant(query, 'until');
    if (until !== undefined) filter.until = until;
    const page = await store.listRequestPage(filter);
    return {
      object: 'list',
      data: page.records.map(requestView),
      has_more: page.next !== null,
      nextBefore: cursorText(page.next),
    };
  });
}

function usageRowView(row: UsageRow) {
  return { ...row, costUsd: microsToUsd(row.costMicros) };
}
