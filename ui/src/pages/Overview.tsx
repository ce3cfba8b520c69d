import { useMemo, useState } from 'react';
import type { GroupBy, Range, Summary, Timeseries } from '../api/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { Segmented } from '../components/Segmented.tsx';
import { StatCard } from '../components/StatCard.tsx';
import { Empty, ErrorBox, Loading } from '../components/Status.tsx';
import { TimeChart } from '../components/TimeChart.tsx';
import { TopKeys } from '../components/TopKeys.tsx';
import { formatCount, formatMs, formatPercent, formatRate, formatUsd } from '../format.ts';
import { chartData, lines, seconds } from '../overview-data.ts';
import { useApi } from '../useApi.ts';

const REFRESH_MS = 30_000;

const RANGES = [
  { value: '1h', label: '1 h' },
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
  { value: '30d', label: '30 d' },
] as const satisfies ReadonlyArray<{ value: Range; label: string }>;

const GROUPS = [
  { value: 'none', label: 'All' },
  { value: 'model', label: 'Model' },
  { value: 'key', label: 'Key' },
  { value: 'team', label: 'Team' },
  { value: 'provider', label: 'Provider' },
] as const satisfies ReadonlyArray<{ value: GroupBy; label: string }>;

const rate = (value: number) => (value < 0.1 ? value.toFixed(3) : value.toFixed(2));
const percent = (value: number) => `${(value * 100).toFixed(value < 0.1 ? 1 : 0)}%`;
const ms = (value: number) =>
  value >= 1000 ? `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)} s` : `${Math.round(value)} ms`;
const count = (value: number) => formatCount(Math.round(value));
const usd = (value: number) =>
  value === 0 ? '$0' : value < 0.01 ? `$${value.toPrecision(2)}` : `$${value.toFixed(2)}`;

export function Overview() {
  const [range, setRange] = useState<Range>('24h');
  const [groupBy, setGroupBy] = useState<GroupBy>('none');
  const summary = useApi<Summary>(`/admin/stats/summary?range=${range}`, REFRESH_MS);
  const timeseries = useApi<Timeseries>(`/admin/stats/timeseries?range=${range}&groupBy=${groupBy}`, REFRESH_MS);

  return (
    <>
      <PageHeader title="Overview" subtitle="Traffic, latency and spend through this gateway.">
        <Segmented<Range> label="Range" value={range} options={RANGES} onChange={setRange} />
      </PageHeader>
      {summary.error ? (
        <ErrorBox error={summary.error} onRetry={summary.reload} />
      ) : !summary.data ? (
        <Loading />
      ) : (
        <SummaryCards summary={summary.data} />
      )}
      <div className="section-head">
        <h2>Over time</h2>
        <Segmented<GroupBy> label="Group by" value={groupBy} options={GROUPS} onChange={setGroupBy} />
      </div>
      {timeseries.error ? (
        <ErrorBox error={timeseries.error} onRetry={timeseries.reload} />
      ) : !timeseries.data ? (
        <Loading label="Loading charts…" />
      ) : (
        <Charts timeseries={timeseries.data} grouped={groupBy !== 'none'} />
      )}
      <h2>Top keys by spend</h2>
      {summary.data && <TopKeys keys={summary.data.topKeys} />}
    </>
  );
}

function SummaryCards(props: { summary: Summary }) {
  const s = props.summary;
  return (
    <div className="stats" data-testid="summary">
      <StatCard
        label="Requests"
        value={formatCount(s.requests)}
        hint={formatRate(s.requestsPerSecond)}
        testId="stat-requests"
      />
      <StatCard
        label="Error rate"
        value={formatPercent(s.errorRate)}
        hint={`${formatCount(s.errors)} ${s.errors === 1 ? 'error' : 'errors'}`}
        testId="stat-errors"
      />
      <StatCard
        label="Latency p50 / p95"
        value={formatMs(s.latencyP50Ms)}
        secondary={formatMs(s.latencyP95Ms)}
        testId="stat-latency"
      />
      <StatCard
        label="TTFT p50 / p95"
        value={formatMs(s.ttftP50Ms)}
        secondary={formatMs(s.ttftP95Ms)}
        testId="stat-ttft"
      />
      <StatCard
        label="Tokens"
        value={formatCount(s.inputTokens + s.outputTokens)}
        hint={`${formatCount(s.inputTokens)} in · ${formatCount(s.outputTokens)} out`}
        testId="stat-tokens"
      />
      <StatCard label="Cost" value={formatUsd(s.costUsd)} testId="stat-cost" />
    </div>
  );
}

function Charts(props: { timeseries: Timeseries; grouped: boolean }) {
  const charts = useMemo(() => {
    const data = chartData(props.timeseries);
    const times = seconds(data);
    const perSecond = data.bucketSeconds;
    const grouped = props.grouped;
    return {
      times,
      requests: lines(data, (p) => p.requests / perSecond),
      errors: lines(data, (p) => (p.requests === 0 ? 0 : p.errors / p.requests), null),
      latency: grouped
        ? lines(data, (p) => p.latencyP95Ms, null, ' p95')
        : [...lines(data, (p) => p.latencyP50Ms, null, ' p50'), ...lines(data, (p) => p.latencyP95Ms, null, ' p95')],
      ttft: grouped
        ? lines(data, (p) => p.ttftP95Ms, null, ' p95')
        : [...lines(data, (p) => p.ttftP50Ms, null, ' p50'), ...lines(data, (p) => p.ttftP95Ms, null, ' p95')],
      tokens: grouped
        ? lines(data, (p) => p.inputTokens + p.outputTokens)
        : [...lines(data, (p) => p.inputTokens, 0, ' input'), ...lines(data, (p) => p.outputTokens, 0, ' output')],
      cost: lines(data, (p) => p.costUsd),
    };
  }, [props.timeseries, props.grouped]);

  if (props.timeseries.series.length === 0)
    return (
      <Empty title="No traffic in this range yet.">
        Send a request through llmux (or try the Playground) and it shows up here.
      </Empty>
    );
  return (
    <div className="charts">
      <TimeChart
        title="Requests / s"
        times={charts.times}
        series={charts.requests}
        format={rate}
        testId="chart-requests"
      />
      <TimeChart
        title="Error rate"
        times={charts.times}
        series={charts.errors}
        format={percent}
        testId="chart-errors"
      />
      <TimeChart title="Latency" times={charts.times} series={charts.latency} format={ms} testId="chart-latency" />
      <TimeChart
        title="Time to first token"
        times={charts.times}
        series={charts.ttft}
        format={ms}
        testId="chart-ttft"
      />
      <TimeChart title="Tokens" times={charts.times} series={charts.tokens} format={count} testId="chart-tokens" />
      <TimeChart title="Cost (USD)" times={charts.times} series={charts.cost} format={usd} testId="chart-cost" />
    </div>
  );
}
