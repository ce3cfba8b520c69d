import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { StoreDatabase } from './database.ts';
import {
  addToHistogram,
  emptyHistogram,
  type Histogram,
  histogramBin,
  histogramPercentile,
} from './latency-histogram.ts';
import type { StatsFigures, StatsGroupBy, StatsRange, StatsSeries, StatsSummary, TimeseriesQuery } from './types.ts';

/**
 * The console's statistics, aggregated by the database: sums per time bucket and group with
 * `GROUP BY`, and latency/TTFT percentiles from histograms grouped the same way (bin counts, never
 * rows). Two scans per call: sums with the latency histogram, then the TTFT histogram. The SQL is
 * the same on SQLite and Postgres: integer division for buckets and bins.
 */

const DEFAULT_MAX_GROUPS = 8;
const TOP_KEYS = 10;

type Num = number | string | null;

/** Sums per bucket, group and latency bin (-1: not answered below 400, so outside the histogram). */
interface SumsRow {
  t: Num;
  g_other: Num;
  g_value: string | null;
  h_bin: Num;
  h_min: Num;
  h_max: Num;
  requests: Num;
  errors: Num;
  input_tokens: Num;
  output_tokens: Num;
  cost_micros: Num;
}

interface HistogramRow {
  t: Num;
  g_other: Num;
  g_value: string | null;
  h_bin: Num;
  h_count: Num;
  h_min: Num;
  h_max: Num;
}

function groupColumn(groupBy: StatsGroupBy): RawBuilder<string | null> | undefined {
  switch (groupBy) {
    case 'none':
      return undefined;
    case 'model':
      return sql.ref<string | null>('public_model');
    case 'key':
      return sql.ref<string | null>('key_name');
    case 'team':
      return sql.ref<string | null>('team');
    case 'provider':
      return sql.ref<string | null>('provider');
  }
}

/** How rows are grouped: the top groups by name, every other one folded into `g_other = 1`. */
interface Grouping {
  value: RawBuilder<string | null>;
  other: RawBuilder<number>;
}

async function grouping(
  db: Kysely<StoreDatabase>,
  range: StatsRange,
  groupBy: StatsGroupBy,
  maxGroups: number,
): Promise<Grouping> {
  const column = groupColumn(groupBy);
  if (column === undefined) return { value: sql<null>`null`, other: sql<number>`0` };
  const top = await sql<{ g_value: string | null; requests: Num }>`
    select ${column} as g_value, count(*) as requests from request_log
    where ${inRange(range)}
    group by ${column}
    order by count(*) desc, ${column}
    limit ${sql.lit(maxGroups)}`.execute(db);
  const names = top.rows.map((row) => row.g_value).filter((name): name is string => name !== null);
  const withNull = top.rows.some((row) => row.g_value === null);
  const conditions: RawBuilder<unknown>[] = [];
  if (names.length > 0) conditions.push(sql`${column} in (${sql.join(names)})`);
  if (withNull) conditions.push(sql`${column} is null`);
  const shown = conditions.length === 0 ? sql`1 = 0` : sql`(${sql.join(conditions, sql` or `)})`;
  return {
    value: sql<string | null>`case when ${shown} then ${column} else null end`,
    other: sql<number>`case when ${shown} then 0 else 1 end`,
  };
}

function inRange(range: StatsRange): RawBuilder<unknown> {
  return sql`${sql.ref('timestamp')} >= ${range.from} and ${sql.ref('timestamp')} < ${range.to}`;
}

const ANSWERED = sql`${sql.ref('status')} < 400`;

/** One scan for the sums and the latency histogram (grouped by bin too; the sums add up across bins). */
function sumsQuery(db: Kysely<StoreDatabase>, range: StatsRange, bucket: RawBuilder<number>, group: Grouping) {
  const latency = sql.ref('latency_ms');
  const bin = sql`case when ${ANSWERED} and ${latency} is not null then ${histogramBin('latency_ms')} else -1 end`;
  return sql<SumsRow>`
    select ${bucket} as t, ${group.other} as g_other, ${group.value} as g_value, ${bin} as h_bin,
      min(${latency}) as h_min, max(${latency}) as h_max,
      count(*) as requests,
      coalesce(sum(case when ${sql.ref('status')} >= 400 then 1 else 0 end), 0) as errors,
      coalesce(sum(${sql.ref('input_tokens')}), 0) as input_tokens,
      coalesce(sum(${sql.ref('output_tokens')}), 0) as output_tokens,
      coalesce(sum(${sql.ref('cost_micros')}), 0) as cost_micros
    from request_log
    where ${inRange(range)}
    group by 1, 2, 3, 4`.execute(db);
}

/** The TTFT histogram (streams and first bytes of answered requests). */
function ttftQuery(db: Kysely<StoreDatabase>, range: StatsRange, bucket: RawBuilder<number>, group: Grouping) {
  const value = sql.ref('ttft_ms');
  return sql<HistogramRow>`
    select ${bucket} as t, ${group.other} as g_other, ${group.value} as g_value, ${histogramBin('ttft_ms')} as h_bin,
      count(*) as h_count, min(${value}) as h_min, max(${value}) as h_max
    from request_log
    where ${inRange(range)} and ${ANSWERED} and ${value} is not null
    group by 1, 2, 3, 4`.execute(db);
}

/** One accumulating cell: a bucket of a group. */
interface Cell {
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  latency: Histogram;
  ttft: Histogram;
}

function emptyCell(): Cell {
  return {
    requests: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    costMicros: 0,
    latency: emptyHistogram(),
    ttft: emptyHistogram(),
  };
}

function addSums(cell: Cell, row: SumsRow): void {
  const requests = Number(row.requests);
  cell.requests += requests;
  cell.errors += Number(row.errors);
  cell.inputTokens += Number(row.input_tokens);
  cell.outputTokens += Number(row.output_tokens);
  cell.costMicros += Number(row.cost_micros);
  const bin = Number(row.h_bin);
  if (bin >= 0) addToHistogram(cell.latency, bin, requests, Number(row.h_min), Number(row.h_max));
}

function addHistogramRow(histogram: Histogram, row: HistogramRow): void {
  addToHistogram(histogram, Number(row.h_bin), Number(row.h_count), Number(row.h_min), Number(row.h_max));
}

function figuresOf(cell: Cell): StatsFigures {
  return {
    requests: cell.requests,
    errors: cell.errors,
    inputTokens: cell.inputTokens,
    outputTokens: cell.outputTokens,
    costMicros: cell.costMicros,
    latencyP50Ms: histogramPercentile(cell.latency, 0.5),
    latencyP95Ms: histogramPercentile(cell.latency, 0.95),
    ttftP50Ms: histogramPercentile(cell.ttft, 0.5),
    ttftP95Ms: histogramPercentile(cell.ttft, 0.95),
  };
}

/** Per group (top groups by requests, then `other`), the buckets with traffic, oldest first. */
export async function queryTimeseries(db: Kysely<StoreDatabase>, query: TimeseriesQuery): Promise<StatsSeries[]> {
  const bucketMs = Math.max(1, Math.floor(query.bucketMs));
  const bucket = sql<number>`(${sql.ref('timestamp')} / ${sql.lit(bucketMs)}) * ${sql.lit(bucketMs)}`;
  const group = await grouping(db, query, query.groupBy, Math.max(1, query.maxGroups ?? DEFAULT_MAX_GROUPS));
  const [sums, ttft] = await Promise.all([sumsQuery(db, query, bucket, group), ttftQuery(db, query, bucket, group)]);
  const series = new Map<string, { group: string | null; other: boolean; cells: Map<number, Cell> }>();
  const cellOf = (row: { t: Num; g_other: Num; g_value: string | null }): Cell => {
    const other = Number(row.g_other) === 1;
    const key = other ? 'other' : row.g_value === null ? 'null' : `=${row.g_value}`;
    let entry = series.get(key);
    if (entry === undefined) {
      entry = { group: other ? null : row.g_value, other, cells: new Map() };
      series.set(key, entry);
    }
    const t = Number(row.t);
    let cell = entry.cells.get(t);
    if (cell === undefined) {
      cell = emptyCell();
      entry.cells.set(t, cell);
    }
    return cell;
  };
  for (const row of sums.rows) addSums(cellOf(row), row);
  for (const row of ttft.rows) addHistogramRow(cellOf(row).ttft, row);
  const result: StatsSeries[] = [...series.values()].map((entry) => ({
    group: entry.group,
    other: entry.other,
    points: [...entry.cells.entries()]
      .sort(([left], [right]) => left - right)
      .map(([t, cell]) => ({ t, ...figuresOf(cell) })),
  }));
  return result.sort(bySeriesOrder);
}

/** Most requests first, `other` last; ties by name (nulls last). */
function bySeriesOrder(left: StatsSeries, right: StatsSeries): number {
  if (left.other !== right.other) return left.other ? 1 : -1;
  const count = (series: StatsSeries) => series.points.reduce((sum, point) => sum + point.requests, 0);
  const difference = count(right) - count(left);
  if (difference !== 0) return difference;
  if (left.group === right.group) return 0;
  if (left.group === null) return 1;
  if (right.group === null) return -1;
  return left.group < right.group ? -1 : 1;
}

/** Totals and percentiles over the range, and the keys that spent most. */
export async function queryStatsSummary(db: Kysely<StoreDatabase>, range: StatsRange): Promise<StatsSummary> {
  const whole = sql<number>`0`;
  const group: Grouping = { value: sql<null>`null`, other: sql<number>`0` };
  const [sums, ttft, keys] = await Promise.all([
    sumsQuery(db, range, whole, group),
    ttftQuery(db, range, whole, group),
    sql<{ key_name: string; team: string | null; requests: Num; cost_micros: Num }>`
      select ${sql.ref('key_name')} as key_name, max(${sql.ref('team')}) as team, count(*) as requests,
        coalesce(sum(${sql.ref('cost_micros')}), 0) as cost_micros
      from request_log
      where ${inRange(range)} and ${sql.ref('key_name')} is not null
      group by ${sql.ref('key_name')}
      order by 4 desc, 3 desc, 1
      limit ${sql.lit(TOP_KEYS)}`.execute(db),
  ]);
  const cell = emptyCell();
  for (const row of sums.rows) addSums(cell, row);
  for (const row of ttft.rows) addHistogramRow(cell.ttft, row);
  return {
    ...figuresOf(cell),
    topKeys: keys.rows.map((row) => ({
      keyName: row.key_name,
      team: row.team,
      requests: Number(row.requests),
      costMicros: Number(row.cost_micros),
    })),
  };
}
