import type { Summary } from '../api/types.ts';
import { formatCount, formatUsd } from '../format.ts';
import { Empty } from './Status.tsx';

export function TopKeys(props: { keys: Summary['topKeys'] }) {
  if (props.keys.length === 0) return <Empty title="No spend in this range." />;
  const top = Math.max(...props.keys.map((key) => key.costUsd), 0);
  return (
    <div className="table-wrap card">
      <table className="table" data-testid="top-keys">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Team</th>
            <th scope="col" className="num">
              Requests
            </th>
            <th scope="col" className="num">
              Spend
            </th>
            <th scope="col" className="hide-narrow">
              <span className="sr-only">Share</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.keys.map((key) => (
            <tr key={`${key.keyName ?? ''}/${key.team ?? ''}`}>
              <td>{key.keyName ?? <span className="muted">(no key)</span>}</td>
              <td>{key.team ?? <span className="muted">—</span>}</td>
              <td className="num">{formatCount(key.requests)}</td>
              <td className="num">{formatUsd(key.costUsd)}</td>
              <td className="hide-narrow share-cell">
                <div className="bar" aria-hidden="true">
                  <div className="bar-fill" style={{ width: `${top > 0 ? (key.costUsd / top) * 100 : 0}%` }} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
