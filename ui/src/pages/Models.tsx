import type { DeploymentView, ListOf, ModelView } from '../api/types.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, ErrorBox, Loading } from '../components/Status.tsx';
import { formatAgo, formatMs } from '../format.ts';
import { useApi } from '../useApi.ts';

const STATE_LABEL = { closed: 'healthy', open: 'circuit open', half_open: 'probing' } as const;
const STATE_TONE = { closed: 'ok', open: 'danger', half_open: 'warn' } as const;

const perMTok = (value: number | null | undefined) =>
  value === null || value === undefined ? '—' : `$${value.toFixed(2)}`;

export function Models() {
  const models = useApi<ListOf<ModelView>>('/admin/models', 10_000);
  return (
    <>
      <PageHeader
        title="Models & deployments"
        subtitle="Public model names, where they route, and how each deployment is doing right now."
      >
        <button type="button" className="button" onClick={models.reload}>
          Refresh
        </button>
      </PageHeader>
      {models.error ? (
        <ErrorBox error={models.error} onRetry={models.reload} />
      ) : !models.data ? (
        <Loading />
      ) : models.data.data.length === 0 ? (
        <Empty title="No models configured.">Add models under models: in the config.</Empty>
      ) : (
        <div className="model-list">
          {models.data.data.map((model) => (
            <section key={model.name} className="card model-card" aria-label={`Model ${model.name}`}>
              <h2>
                <span className="mono">{model.name}</span> {model.wildcard && <span className="badge">wildcard</span>}
                <span className="muted small">
                  {' '}
                  · {model.deployments.length} deployment{model.deployments.length === 1 ? '' : 's'}
                </span>
              </h2>
              <DeploymentsTable deployments={model.deployments} />
            </section>
          ))}
        </div>
      )}
    </>
  );
}

function DeploymentsTable(props: { deployments: DeploymentView[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Deployment</th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              In flight
            </th>
            <th scope="col" className="num hide-narrow">
              Avg latency
            </th>
            <th scope="col" className="num hide-narrow">
              Input / output per 1M
            </th>
            <th scope="col" className="hide-narrow">
              Recent errors
            </th>
          </tr>
        </thead>
        <tbody>
          {props.deployments.map((d) => (
            <tr key={d.id}>
              <td>
                <div className="mono">{d.upstreamModel}</div>
                <div className="muted small">
                  {d.provider}
                  {d.providerType ? ` (${d.providerType})` : ''} · {d.id}
                </div>
                <div className="muted small show-narrow">
                  {d.price
                    ? `${perMTok(d.price.inputPerMTokUsd)} in / ${perMTok(d.price.outputPerMTokUsd)} out per 1M`
                    : 'no price'}
                </div>
              </td>
              <td>
                <span className={`badge ${STATE_TONE[d.state]}`}>{STATE_LABEL[d.state]}</span>
              </td>
              <td className="num">{d.inFlight}</td>
              <td className="num hide-narrow">{formatMs(d.latencyAvgMs)}</td>
              <td className="num hide-narrow">
                {d.price ? (
                  `${perMTok(d.price.inputPerMTokUsd)} / ${perMTok(d.price.outputPerMTokUsd)}`
                ) : (
                  <span className="muted">no price</span>
                )}
              </td>
              <td className="hide-narrow">
                {d.recentErrors.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ul className="errors">
                    {d.recentErrors.map((e) => (
                      <li key={`${e.at}-${e.code}`} title={e.message}>
                        <span className="mono">{e.code}</span> <span className="muted">{formatAgo(e.at)}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
