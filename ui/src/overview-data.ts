import type { SeriesPoint, Timeseries } from './api/types.ts';
import type { ChartSeries } from './components/TimeChart.tsx';

export interface ChartData {
  times: number[];
  /** One entry per group, in the server's order. */
  groups: Array<{ label: string; points: Map<number, SeriesPoint> }>;
  bucketSeconds: number;
}

/** Every bucket of the range (absent buckets = no traffic), x in epoch seconds as uPlot wants. */
export function chartData(ts: Timeseries): ChartData {
  const start = Math.floor(ts.from / ts.bucketMs) * ts.bucketMs;
  const times: number[] = [];
  for (let t = start; t <= ts.to; t += ts.bucketMs) times.push(t);
  const groups = ts.series.map((series) => {
    const points = new Map<number, SeriesPoint>();
    for (const point of series.points) {
      const bucket = Math.floor(point.t / ts.bucketMs) * ts.bucketMs;
      points.set(bucket, point);
      if (!times.includes(bucket)) times.push(bucket);
    }
    return { label: series.group ?? 'all', points };
  });
  times.sort((a, b) => a - b);
  return { times, groups, bucketSeconds: ts.bucketMs / 1000 };
}

/** One line per group of `pick(point)`; `empty` is what a bucket without traffic shows. */
export function lines(
  data: ChartData,
  pick: (point: SeriesPoint) => number | null,
  empty: number | null = 0,
  suffix = '',
): ChartSeries[] {
  return data.groups.map((group) => ({
    label: `${group.label}${suffix}`,
    values: data.times.map((t) => {
      const point = group.points.get(t);
      return point === undefined ? empty : pick(point);
    }),
  }));
}

export const seconds = (data: ChartData) => data.times.map((t) => t / 1000);
