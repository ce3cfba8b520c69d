import { type RawBuilder, sql } from 'kysely';

/**
 * Latency histogram bins, computed in SQL with integer arithmetic (the same on SQLite and Postgres):
 * linear bins inside each segment, each bin at most 12.5% of its lower bound wide (5 ms under 100 ms),
 * so a percentile read from the histogram is within one bin of the exact one. Values from 10 min up
 * share one overflow bin, read back as at most the largest value seen.
 */
interface Segment {
  /** Inclusive, ms. */
  lower: number;
  /** Exclusive, ms. */
  upper: number;
  width: number;
}

const SEGMENTS: readonly Segment[] = [
  { lower: 0, upper: 100, width: 5 },
  { lower: 100, upper: 200, width: 10 },
  { lower: 200, upper: 500, width: 25 },
  { lower: 500, upper: 1000, width: 50 },
  { lower: 1000, upper: 2000, width: 100 },
  { lower: 2000, upper: 5000, width: 250 },
  { lower: 5000, upper: 10_000, width: 500 },
  { lower: 10_000, upper: 20_000, width: 1000 },
  { lower: 20_000, upper: 50_000, width: 2500 },
  { lower: 50_000, upper: 100_000, width: 5000 },
  { lower: 100_000, upper: 200_000, width: 10_000 },
  { lower: 200_000, upper: 600_000, width: 40_000 },
];

interface Bin {
  lower: number;
  /** Infinity for the overflow bin. */
  upper: number;
}

/** Every bin in order; the index is what `histogramBin` computes. */
export const HISTOGRAM_BINS: readonly Bin[] = (() => {
  const bins: Bin[] = [];
  for (const segment of SEGMENTS) {
    for (let lower = segment.lower; lower < segment.upper; lower += segment.width)
      bins.push({ lower, upper: lower + segment.width });
  }
  bins.push({ lower: (SEGMENTS.at(-1) as Segment).upper, upper: Number.POSITIVE_INFINITY });
  return bins;
})();

/** The bin index of an integer ms column, as a SQL expression (negative values fall in bin 0). */
export function histogramBin(column: 'latency_ms' | 'ttft_ms'): RawBuilder<number> {
  const value = sql.ref(column);
  const branches: RawBuilder<unknown>[] = [sql`when ${value} < 0 then 0`];
  let offset = 0;
  for (const segment of SEGMENTS) {
    branches.push(
      sql`when ${value} < ${sql.lit(segment.upper)} then ${sql.lit(offset)} + (${value} - ${sql.lit(segment.lower)}) / ${sql.lit(segment.width)}`,
    );
    offset += (segment.upper - segment.lower) / segment.width;
  }
  return sql<number>`case ${sql.join(branches, sql` `)} else ${sql.lit(offset)} end`;
}

/** Counts per bin index (sparse), with the smallest and largest value seen (they tighten the edges). */
export interface Histogram {
  counts: Map<number, number>;
  min: number;
  max: number;
}

export function emptyHistogram(): Histogram {
  return { counts: new Map(), min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
}

export function addToHistogram(histogram: Histogram, bin: number, count: number, min: number, max: number): void {
  histogram.counts.set(bin, (histogram.counts.get(bin) ?? 0) + count);
  histogram.min = Math.min(histogram.min, min);
  histogram.max = Math.max(histogram.max, max);
}

/**
 * The `p` quantile (0..1): the bin holding the rank `p × n`, interpolated linearly inside it, and
 * kept within [min, max] of the values seen (a bin of identical values reads exactly). Rounded to
 * the ms; null without data.
 */
export function histogramPercentile(histogram: Histogram, p: number): number | null {
  let total = 0;
  for (const count of histogram.counts.values()) total += count;
  if (total === 0) return null;
  const rank = p * total;
  const bins = [...histogram.counts.keys()].sort((left, right) => left - right);
  let below = 0;
  for (const index of bins) {
    const count = histogram.counts.get(index) ?? 0;
    if (count > 0 && below + count >= rank) {
      const bin = HISTOGRAM_BINS[Math.min(Math.max(index, 0), HISTOGRAM_BINS.length - 1)] as Bin;
      const lower = Math.max(bin.lower, histogram.min);
      const upper = Math.min(bin.upper, histogram.max);
      const value = upper <= lower ? lower : lower + ((upper - lower) * (rank - below)) / count;
      return Math.round(value);
    }
    below += count;
  }
  return Math.round(histogram.max);
}
