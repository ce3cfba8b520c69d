import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { StoreDatabase } from './database.ts';
import type { UsageGroupBy, UsageQuery, UsageRow } from './types.ts';

const DAY_MS = 86_400_000;

type RequestLogSelect = SelectQueryBuilder<StoreDatabase, 'request_log', object>;

/** The grouping expression: a column, or for days the integer UTC day number (integer division on both dialects). */
function groupExpression(groupBy: UsageGroupBy): RawBuilder<string | number | null> {
  switch (groupBy) {
    case 'key':
      return sql.ref<string | null>('key_id');
    case 'team':
      return sql.ref<string | null>('team');
    case 'model':
      return sql.ref<string | null>('public_model');
    case 'provider':
      return sql.ref<string | null>('provider');
    case 'day':
      return sql<number>`${sql.ref('timestamp')} / ${sql.lit(DAY_MS)}`;
  }
}

/**
 * The request log aggregated per group over `[from, to)`. Sums are converted with Number(): Postgres
 * returns `sum(bigint)` as numeric, which node-postgres hands over as a string.
 */
export async function queryUsage(db: Kysely<StoreDatabase>, query: UsageQuery): Promise<UsageRow[]> {
  const group = groupExpression(query.groupBy);
  let select: RequestLogSelect = db
    .selectFrom('request_log')
    .where('timestamp', '>=', query.from)
    .where('timestamp', '<', query.to);
  if (query.keyId !== undefined) select = select.where('key_id', '=', query.keyId);
  if (query.team !== undefined) select = select.where('team', '=', query.team);
  if (query.publicModel !== undefined) select = select.where('public_model', '=', query.publicModel);
  const rows = await select
    .select((eb) => [
      group.as('group_value'),
      eb.fn.max('key_name').as('key_name'),
      eb.fn.countAll().as('requests'),
      sql<string | number>`sum(case when ${sql.ref('status')} >= 400 then 1 else 0 end)`.as('errors'),
      sumOrZero('input_tokens').as('input_tokens'),
      sumOrZero('output_tokens').as('output_tokens'),
      sumOrZero('cached_input_tokens').as('cached_input_tokens'),
      sumOrZero('reasoning_tokens').as('reasoning_tokens'),
      sumOrZero('cost_micros').as('cost_micros'),
      sumOrZero('usage_estimated').as('estimated'),
    ])
    .groupBy(group)
    .execute();
  const usage = rows.map((row): UsageRow => {
    const usageRow: UsageRow = {
      group: toGroup(query.groupBy, row.group_value),
      requests: Number(row.requests),
      errors: Number(row.errors),
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cachedInputTokens: Number(row.cached_input_tokens),
      reasoningTokens: Number(row.reasoning_tokens),
      costMicros: Number(row.cost_micros),
      estimated: Number(row.estimated),
    };
    if (query.groupBy === 'key') usageRow.keyName = row.key_name;
    return usageRow;
  });
  // Sorted here rather than in SQL: the dialects disagree on where nulls go and how text collates.
  return usage.sort((left, right) => compareGroups(left.group, right.group));
}

/**
 * Durable spend of a key or team since `since`. It reads the table only: rows still buffered in the
 * batch writer are not counted. The limiter keeps its own live counters and only seeds them from this.
 */
export async function querySpentSince(
  db: Kysely<StoreDatabase>,
  subject: { kind: 'key' | 'team'; id: string },
  since: number,
): Promise<number> {
  const row = await db
    .selectFrom('request_log')
    .select(sumOrZero('cost_micros').as('spent'))
    .where(subject.kind === 'key' ? 'key_id' : 'team', '=', subject.id)
    .where('timestamp', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.spent);
}

function sumOrZero(
  column:
    | 'input_tokens'
    | 'output_tokens'
    | 'cached_input_tokens'
    | 'reasoning_tokens'
    | 'cost_micros'
    | 'usage_estimated',
) {
  return sql<string | number>`coalesce(sum(${sql.ref(column)}), 0)`;
}

function toGroup(groupBy: UsageGroupBy, value: string | number | null): string | null {
  if (value === null) return null;
  if (groupBy === 'day') return new Date(Number(value) * DAY_MS).toISOString().slice(0, 10);
  return String(value);
}

/** Code-unit order, nulls last: the same on both dialects. */
function compareGroups(left: string | null, right: string | null): number {
  if (left === right) return 0;
  if (left === null) return 1;
  if (right === null) return -1;
  return left < right ? -1 : 1;
}
