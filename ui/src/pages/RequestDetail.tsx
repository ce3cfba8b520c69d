import type { AttemptRecord, RequestRecord } from '../api/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { ErrorBox, Loading } from '../components/Status.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import { formatCount, formatMs, formatTime, formatUsd } from '../format.ts';
import { linkHandler } from '../router.ts';
import { useApi } from '../useApi.ts';

export function RequestDetail(props: { requestId: string }) {
  const record = useApi<RequestRecord>(`/admin/requests/${encodeURIComponent(props.requestId)}`);
  return (
    <>
      <a className="back" href="/ui/requests" onClick={linkHandler('/requests')}>
        ← All requests
      </a>
      <PageHeader title="Request" subtitle={props.requestId} />
      {record.error ? (
        <ErrorBox error={record.error} onRetry={record.reload} />
      ) : !record.data ? (
        <Loading />
      ) : (
        <Detail record={record.data} />
      )}
    </>
  );
}

function attemptsOf(record: RequestRecord): AttemptRecord[] {
  if (Array.isArray(record.attempts)) return record.attempts;
  return record.attemptLog ?? [];
}

function Detail(props: { record: RequestRecord }) {
  const r = props.record;
  const attempts = attemptsOf(r);
  return (
    <div className="detail" data-testid="request-detail">
      <section className="card">
        <h2>Summary</h2>
        <dl className="facts">
          <Fact label="Status">
            <StatusBadge status={r.status} errorCode={r.errorCode} />
          </Fact>
          <Fact label="Time">{formatTime(r.timestamp)}</Fact>
          <Fact label="Key">{r.keyName ?? '—'}</Fact>
          <Fact label="Team">{r.team ?? '—'}</Fact>
          <Fact label="Model">{r.publicModel ?? '—'}</Fact>
          <Fact label="Provider / upstream model">
            {r.provider ? `${r.provider} / ${r.upstreamModel ?? '—'}` : '—'}
          </Fact>
          <Fact label="API surface">{r.surface ?? '—'}</Fact>
          <Fact label="Streamed">{r.stream ? 'yes' : 'no'}</Fact>
          <Fact label="Client request id">{r.clientRequestId ?? '—'}</Fact>
          {r.fallbackModels && <Fact label="Fallbacks">{r.fallbackModels}</Fact>}
        </dl>
      </section>
      <section className="card">
        <h2>Timings, usage and cost</h2>
        <dl className="facts">
          <Fact label="Latency">{formatMs(r.latencyMs)}</Fact>
          <Fact label="Time to first token">{formatMs(r.ttftMs)}</Fact>
          <Fact label="Input tokens">{formatCount(r.inputTokens)}</Fact>
          <Fact label="Output tokens">{formatCount(r.outputTokens)}</Fact>
          <Fact label="Cached input tokens">{formatCount(r.cachedInputTokens)}</Fact>
          <Fact label="Reasoning tokens">{formatCount(r.reasoningTokens)}</Fact>
          <Fact label="Cost">
            {formatUsd(r.costUsd)}
            {r.usageEstimated ? ' (estimated)' : ''}
          </Fact>
        </dl>
      </section>
      {(r.errorCode || r.errorMessage) && (
        <section className="card error-card">
          <h2>Error</h2>
          <p className="mono">{r.errorCode}</p>
          {r.errorMessage && <p>{r.errorMessage}</p>}
        </section>
      )}
      <section className="card">
        <h2>Upstream attempts</h2>
        {attempts.length === 0 ? (
          <p className="muted">No upstream attempt was made (the request was answered or refused by llmux itself).</p>
        ) : (
          <AttemptsTable attempts={attempts} />
        )}
      </section>
    </div>
  );
}

function Fact(props: { label: string; children: React.ReactNode }) {
  return (
    <div className="fact">
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

function AttemptsTable(props: { attempts: AttemptRecord[] }) {
  const first = props.attempts[0]?.startedAt ?? 0;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="attempts-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Deployment</th>
            <th scope="col" className="hide-narrow">
              Upstream model
            </th>
            <th scope="col">Outcome</th>
            <th scope="col" className="num hide-narrow">
              Started
            </th>
            <th scope="col" className="num">
              Duration
            </th>
          </tr>
        </thead>
        <tbody>
          {props.attempts.map((attempt, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: attempts are an ordered log; the index is their number.
            <tr key={`${attempt.deployment}-${attempt.startedAt}-${index}`}>
              <td>{index + 1}</td>
              <td>
                <div className="mono">{attempt.deployment}</div>
                <div className="muted small">
                  {attempt.provider}
                  {attempt.fallback ? ' · fallback' : ''}
                </div>
              </td>
              <td className="hide-narrow">{attempt.upstreamModel}</td>
              <td>
                <span className={`badge ${attempt.outcome === 'ok' ? 'ok' : 'danger'}`}>
                  {attempt.outcome}
                  {attempt.status !== null ? ` · ${attempt.status}` : ''}
                </span>
                {attempt.errorCode && <div className="muted small mono">{attempt.errorCode}</div>}
              </td>
              <td className="num hide-narrow">+{formatMs(attempt.startedAt - first)}</td>
              <td className="num">{formatMs(attempt.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
