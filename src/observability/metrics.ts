import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { CounterFamily, HistogramFamily } from './metric-families.ts';
import { lastDeployment, modelLabel, type ObservedRequest, statusClass } from './metrics-labels.ts';

/** What the metrics read at scrape time from the parts of llmux that already count it. */
export interface MetricsSources {
  /** Client requests being handled now. */
  inFlight(): number;
  /** The request-log writer's rows not yet written, and rows dropped since start. */
  requestLog(): { buffered: number; dropped: number };
  /** Every configured deployment with its circuit state now. */
  deploymentStates(): Iterable<{ deployment: string; state: 'closed' | 'open' | 'half-open' }>;
  /** True for a configured public model name (wildcard models by their pattern, `local/*`). */
  isPublicModel(name: string): boolean;
}

export interface MetricsOptions {
  /** `metrics.keyLabel`: false drops the `key` label (deployments with thousands of keys). */
  keyLabel: boolean;
  sources: MetricsSources;
}

/** llmux's Prometheus metrics on a registry of its own: updated once per settled request, read at scrape. */
export interface GatewayMetrics {
  /** Counts one settled request (served or turned away). In-process increments only. */
  observe(record: ObservedRequest): void;
  /** The exposition in Prometheus text format. */
  render(): Promise<string>;
  readonly contentType: string;
}

/** LLM latencies: from a cached answer in tens of ms to long reasoning streams of minutes. */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600];
const TTFT_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];
const TOKEN_KINDS = ['input', 'output', 'cached', 'reasoning'] as const;
const CIRCUIT_STATES = [
  ['closed', 'closed'],
  ['open', 'open'],
  ['half-open', 'half_open'],
] as const;

export function createGatewayMetrics(options: MetricsOptions): GatewayMetrics {
  const { sources, keyLabel } = options;
  const registry = new Registry();
  // Standard names (process_cpu_seconds_total, nodejs_heap_size_used_bytes, …): stock Node.js dashboards work.
  collectDefaultMetrics({ register: registry });
  registerScrapeTimeGauges(registry, sources);
  const tenant = keyLabel ? ['key', 'team'] : ['team'];

  const requests = new CounterFamily(
    'llmux_requests_total',
    'Client requests settled (served or turned away), by inbound API, public model, last provider and deployment tried, status class and error code.',
    ['surface', 'model', 'provider', 'deployment', 'status_class', 'error_code'],
  );
  const duration = new HistogramFamily(
    'llmux_request_duration_seconds',
    'Time from a request’s arrival to the end of its response, for requests that reached an upstream.',
    ['model', 'provider'],
    DURATION_BUCKETS,
  );
  const ttft = new HistogramFamily(
    'llmux_time_to_first_token_seconds',
    'Time from a request’s arrival to the first byte of its answer (the first token of a stream), for answered requests.',
    ['model', 'provider'],
    TTFT_BUCKETS,
  );
  const attempts = new CounterFamily(
    'llmux_upstream_attempts_total',
    'Upstream attempts by how each ended (ok, stream_error, timeout, reset, 429, 5xx, 4xx, aborted, error); a retried attempt keeps its own outcome.',
    ['provider', 'deployment', 'outcome'],
  );
  const tokens = new CounterFamily(
    'llmux_tokens_total',
    'Tokens by kind: input (cached included), output (reasoning included), cached input, reasoning.',
    ['model', ...tenant, 'kind'],
  );
  const cost = new CounterFamily('llmux_cost_usd_total', 'Cost of the requests in USD, as priced in the request log.', [
    'model',
    ...tenant,
  ]);
  const rateLimited = new CounterFamily(
    'llmux_rate_limited_total',
    'Requests refused at admission by a limit of their key or team (rpm, tpm, maxConcurrent, budget; team.* for the team’s).',
    [...tenant, 'limit'],
  );
  const families = [requests, duration, ttft, attempts, tokens, cost, rateLimited];

  return {
    contentType: registry.contentType,
    async render() {
      const out: string[] = [];
      for (const family of families) family.render(out);
      out.push(await registry.metrics());
      return out.join('');
    },
    observe(record) {
      const model = modelLabel(record.publicModel, sources.isPublicModel);
      const provider = record.provider ?? '';
      requests.inc([
        record.surface ?? '',
        model,
        provider,
        lastDeployment(record),
        statusClass(record.status),
        record.errorCode ?? '',
      ]);
      for (const attempt of record.attemptLog ?? [])
        attempts.inc([attempt.provider, attempt.deployment, attempt.outcome]);
      const team = record.team ?? '';
      const who = keyLabel ? [record.keyName ?? '', team] : [team];
      if (record.refusedByLimit !== undefined) rateLimited.inc([...who, record.refusedByLimit]);
      if (record.provider === null) return;
      const byModel = [model, provider];
      duration.observe(byModel, record.latencyMs / 1000);
      if (record.ttftMs !== null && record.status < 400) ttft.observe(byModel, record.ttftMs / 1000);
      const counts = [record.inputTokens, record.outputTokens, record.cachedInputTokens, record.reasoningTokens];
      for (let index = 0; index < TOKEN_KINDS.length; index++) {
        const count = counts[index];
        if (count !== null && count !== undefined && count > 0)
          tokens.inc([model, ...who, TOKEN_KINDS[index] as string], count);
      }
      if (record.costMicros !== null && record.costMicros > 0) cost.inc([model, ...who], record.costMicros / 1e6);
    },
  };
}

/** What is read from the rest of llmux when Prometheus scrapes, not counted per request. */
function registerScrapeTimeGauges(registry: Registry, sources: MetricsSources): void {
  const registers = [registry];
  new Gauge({
    name: 'llmux_in_flight_requests',
    help: 'Client requests being handled now.',
    registers,
    collect() {
      this.set(sources.inFlight());
    },
  });
  new Gauge({
    name: 'llmux_deployment_state',
    help: 'Circuit state of each deployment: 1 for its current state, 0 for the others.',
    labelNames: ['deployment', 'state'] as const,
    registers,
    collect() {
      this.reset();
      for (const { deployment, state } of sources.deploymentStates()) {
        for (const [name, label] of CIRCUIT_STATES) this.set({ deployment, state: label }, name === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'llmux_request_log_buffered',
    help: 'Request log rows accepted but not yet written to the store.',
    registers,
    collect() {
      this.set(sources.requestLog().buffered);
    },
  });
  new Counter({
    name: 'llmux_request_log_dropped_total',
    help: 'Request log rows dropped (buffer overflow while the store was failing, or recorded after close).',
    registers,
    collect() {
      this.reset();
      this.inc(sources.requestLog().dropped);
    },
  });
}
