/**
 * Counters and histograms updated on every settled request, kept as plain numbers in a map per
 * family and written in the Prometheus text format at scrape time. prom-client hashes and validates
 * the labels on every increment and formats every sample at every scrape (about 9 µs of CPU per
 * request and 0.4 s per scrape with 27 000 series, bench/metrics.ts); here an increment is one map
 * lookup, and a series' label text is escaped once, when the series first appears.
 */

interface Series<T> {
  /** `a="x",b="y"`: the series' labels as written, without braces. */
  labels: string;
  state: T;
}

/**
 * Label values → a series of the family, one map level per label: label values are mostly the same
 * string objects request after request (config names, constants), whose hashes V8 keeps, so a
 * lookup builds no key string.
 */
class SeriesMap<T> {
  private readonly root = new Map<string, unknown>();
  private readonly all: Series<T>[] = [];

  constructor(
    private readonly labelNames: readonly string[],
    private readonly create: () => T,
  ) {}

  get(values: readonly string[]): T {
    let level = this.root;
    const last = values.length - 1;
    for (let index = 0; index < last; index++) {
      const value = values[index] as string;
      let next = level.get(value) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(value, next);
      }
      level = next;
    }
    const leaf = values[last] as string;
    let entry = level.get(leaf) as Series<T> | undefined;
    if (entry === undefined) {
      entry = { labels: labelText(this.labelNames, values), state: this.create() };
      level.set(leaf, entry);
      this.all.push(entry);
    }
    return entry.state;
  }

  values(): readonly Series<T>[] {
    return this.all;
  }
}

export class CounterFamily {
  private readonly series: SeriesMap<{ value: number }>;

  constructor(
    readonly name: string,
    private readonly help: string,
    labelNames: readonly string[],
  ) {
    this.series = new SeriesMap(labelNames, () => ({ value: 0 }));
  }

  inc(values: readonly string[], by = 1): void {
    this.series.get(values).value += by;
  }

  render(out: string[]): void {
    out.push(header(this.name, this.help, 'counter'));
    for (const { labels, state } of this.series.values()) out.push(`${this.name}{${labels}} ${state.value}\n`);
  }
}

export class HistogramFamily {
  private readonly series: SeriesMap<{ counts: Float64Array; sum: number; count: number }>;
  private readonly bounds: readonly number[];

  constructor(
    readonly name: string,
    private readonly help: string,
    labelNames: readonly string[],
    buckets: readonly number[],
  ) {
    this.bounds = [...buckets].sort((a, b) => a - b);
    this.series = new SeriesMap(labelNames, () => ({ counts: new Float64Array(this.bounds.length), sum: 0, count: 0 }));
  }

  observe(values: readonly string[], value: number): void {
    const state = this.series.get(values);
    state.sum += value;
    state.count += 1;
    const { bounds } = this;
    for (let index = 0; index < bounds.length; index++) {
      if (value <= (bounds[index] as number)) {
        (state.counts[index] as number)++;
        return;
      }
    }
  }

  render(out: string[]): void {
    out.push(header(this.name, this.help, 'histogram'));
    for (const { labels, state } of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += state.counts[index] as number;
        out.push(`${this.name}_bucket{${labels},le="${bound}"} ${cumulative}\n`);
      });
      out.push(`${this.name}_bucket{${labels},le="+Inf"} ${state.count}\n`);
      out.push(`${this.name}_sum{${labels}} ${state.sum}\n`);
      out.push(`${this.name}_count{${labels}} ${state.count}\n`);
    }
  }
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${type}\n`;
}

function labelText(names: readonly string[], values: readonly string[]): string {
  return names.map((name, index) => `${name}="${escapeLabelValue(values[index] ?? '')}"`).join(',');
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
