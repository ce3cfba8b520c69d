import type { RequestRecord } from '../api/types.ts';
import { formatCount, formatMs, formatShortTime, formatTime, formatUsd } from '../format.ts';
import { linkHandler, navigate } from '../router.ts';
import { StatusBadge } from './StatusBadge.tsx';

export function RequestsTable(props: { rows: RequestRecord[] }) {
  return (
    <div className="table-wrap card">
      <table className="table clickable" data-testid="requests-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Key</th>
            <th scope="col">Model</th>
            <th scope="col" className="hide-narrow">
              Provider
            </th>
            <th scope="col">Status</th>
            <th scope="col" className="num hide-narrow">
              Latency
            </th>
            <th scope="col" className="num hide-narrow">
              TTFT
            </th>
            <th scope="col" className="num hide-narrow">
              Tokens
            </th>
            <th scope="col" className="num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => {
            const path = `/requests/${encodeURIComponent(row.requestId)}`;
            return (
              <tr key={row.requestId} data-request-id={row.requestId} onClick={() => navigate(path)}>
                <td className="nowrap">
                  <a href={`/ui${path}`} onClick={linkHandler(path)} title={formatTime(row.timestamp)}>
                    {formatShortTime(row.timestamp)}
                  </a>
                </td>
                <td>{row.keyName ?? <span className="muted">—</span>}</td>
                <td>{row.publicModel ?? <span className="muted">—</span>}</td>
                <td className="hide-narrow">{row.provider ?? <span className="muted">—</span>}</td>
                <td>
                  <StatusBadge status={row.status} errorCode={row.errorCode} />
                </td>
                <td className="num hide-narrow">{formatMs(row.latencyMs)}</td>
                <td className="num hide-narrow">{formatMs(row.ttftMs)}</td>
                <td className="num hide-narrow">
                  {row.inputTokens === null && row.outputTokens === null
                    ? '—'
                    : `${formatCount(row.inputTokens ?? 0)} → ${formatCount(row.outputTokens ?? 0)}`}
                </td>
                <td className="num">{formatUsd(row.costUsd)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
