import type { FastifyInstance } from 'fastify';
import type { StatsFigures, StatsGroupBy } from '../store/types.ts';
import type { AdminDeps } from './admin-context.ts';
import { type Query, queryChoice } from './query.ts';
import { microsToUsd } from './views.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The console's ranges: how far back, and the width of a chart bucket. */
/**
 * The console's ranges: how far back, the width of a chart bucket, and how long an answer is reused
 * (a 30-day aggregate scans the whole month: about a second at 200 000 rows; several open consoles
 * refreshing it must not each pay that).
 */
export const STATS_RANGES = {
  '1h': { rangeMs: HOUR, bucketMs: MINUTE, reuseMs: 0 },
  '24h': { rangeMs: 24 * HOUR, bucketMs: 15 * MINUTE, reuseMs: 0 },
  '7d': { rangeMs: 7 * 24 * HOUR, bucketMs: HOUR, reuseMs: 5000 },
  '30d': { rangeMs: 30 * 24 * HOUR, bucketMs: 6 * HOUR, reuseMs: 10_000 },
} as const;

export type StatsRangeName = keyof typeof STATS_RANGES;

const RANGE_NAMES = Object.keys(STATS_RANGES) as StatsRangeName[];
const GROUPS: readonly StatsGroupBy[] = ['none', 'model', 'key', 'team', 'provider'];
/** Series drawn on their own; the rest are summed into one `other` series. */
const MAX_GROUPS = 8;
const TOP_KEYS_SHOWN = 10;

/** `GET /admin/stats/timeseries` and `/admin/stats/summary`: the request log aggregated by the store. */
export function registerStatsRoutes(scope: FastifyInstance, deps: AdminDeps): void {
  const now = deps.now ?? Date.now;
  const recent = new RecentAnswers(now);

  scope.get('/admin/stats/timeseries', async (request) => {
    const query = request.query as Query;
    const range = queryChoice(query, 'range', RANGE_NAMES) ?? '24h';
    const groupBy = queryChoice(query, 'groupBy', GROUPS) ?? 'none';
    return recent.get(`timeseries ${range} ${groupBy}`, STATS_RANGES[range].reuseMs, () => timeseries(range, groupBy));
  });

  const timeseries = async (range: StatsRangeName, groupBy: StatsGroupBy) => {
    const { rangeMs, bucketMs } = STATS_RANGES[range];
    const to = now();
    // Whole buckets, the last one (the current) still filling: the chart's x axis never shifts mid-bucket.
    const from = Math.floor(to / bucketMs) * bucketMs - (rangeMs - bucketMs);
    const series = await deps.store.timeseries({ from, to, bucketMs, groupBy, maxGroups: MAX_GROUPS });
    return {
      range,
      bucketMs,
      from,
      to,
      groupBy,
      series: series.map((entry) => ({
        group: entry.other ? 'other' : entry.group,
        other: entry.other,
        points: entry.points.map(({ t, ...figures }) => ({ t, ...figuresView(figures) })),
      })),
    };
  };

  scope.get('/admin/stats/summary', async (request) => {
    const query = request.query as Query;
    const range = queryChoice(query, 'range', RANGE_NAMES) ?? '24h';
    return recent.get(`summary ${range}`, STATS_RANGES[range].reuseMs, () => summary(range));
  });

  const summary = async (range: StatsRangeName) => {
    const { rangeMs } = STATS_RANGES[range];
    const to = now();
    const from = to - rangeMs;
    const summary = await deps.store.statsSummary({ from, to });
    const { topKeys, ...figures } = summary;
    return {
      range,
      from,
      to,
      ...figuresView(figures),
      errorRate: summary.requests === 0 ? 0 : summary.errors / summary.requests,
      requestsPerSecond: summary.requests / (rangeMs / 1000),
      topKeys: topKeys.slice(0, TOP_KEYS_SHOWN).map((key) => ({
        keyName: key.keyName,
        team: key.team,
        requests: key.requests,
        costUsd: microsToUsd(key.costMicros),
      })),
    };
  };
}

/** Answers reused for a while per key (a handful of keys: ranges × groupings). */
class RecentAnswers {
  readonly #answers = new Map<string, { at: number; answer: Promise<unknown> }>();

  constructor(private readonly now: () => number) {}

  get<T>(key: string, reuseMs: number, compute: () => Promise<T>): Promise<T> {
    if (reuseMs <= 0) return compute();
    const at = this.now();
    const kept = this.#answers.get(key);
    if (kept !== undefined && at - kept.at < reuseMs) return kept.answer as Promise<T>;
    const answer = compute();
    this.#answers.set(key, { at, answer });
    // A failed query is not reused.
    answer.catch(() => this.#answers.delete(key));
    return answer;
  }
}

function figuresView(figures: StatsFigures) {
  const { costMicros, ...rest } = figures;
  return { ...rest, costUsd: microsToUsd(costMicros) };
}
