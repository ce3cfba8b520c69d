import { useState } from 'react';
import { api } from '../api/client.ts';
import type { CreatedKey, KeyView, ListOf, TeamView } from '../api/types.ts';
import { formatAgo, formatUsd, perPeriod } from '../format.ts';
import { limitsSummary } from '../limits-form.ts';
import { useApi } from '../useApi.ts';
import { BudgetBar } from './BudgetBar.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { Dialog } from './Dialog.tsx';
import { KeyDialog } from './KeyDialog.tsx';
import { SecretReveal } from './SecretReveal.tsx';
import { Empty, ErrorBox, Loading } from './Status.tsx';

type Open =
  | { kind: 'create' }
  | { kind: 'edit'; key: KeyView }
  | { kind: 'rotate'; key: KeyView }
  | { kind: 'revoke'; key: KeyView }
  | { kind: 'rotated'; key: KeyView; secret: string };

export function KeysTable(props: { includeRevoked: boolean; teams: TeamView[] }) {
  const keys = useApi<ListOf<KeyView>>(`/admin/keys?limit=1000${props.includeRevoked ? '&includeRevoked=true' : ''}`);
  const [open, setOpen] = useState<Open>();
  const close = () => setOpen(undefined);

  return (
    <>
      <div className="toolbar">
        <button type="button" className="button primary" onClick={() => setOpen({ kind: 'create' })}>
          Create key
        </button>
      </div>
      {keys.error ? (
        <ErrorBox error={keys.error} onRetry={keys.reload} />
      ) : !keys.data ? (
        <Loading />
      ) : keys.data.data.length === 0 ? (
        <Empty title="No keys yet.">Create one to let a client call llmux.</Empty>
      ) : (
        <div className="table-wrap card">
          <table className="table" data-testid="keys-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" className="hide-narrow">
                  Team
                </th>
                <th scope="col" className="hide-narrow">
                  Models
                </th>
                <th scope="col">Spend / budget</th>
                <th scope="col" className="hide-narrow">
                  Limits
                </th>
                <th scope="col" className="hide-narrow">
                  Last used
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.data.map((key) => (
                <tr key={key.id} data-key-name={key.name} className={key.revoked ? 'revoked' : undefined}>
                  <td>
                    <div className="strong">{key.name}</div>
                    <div className="muted mono small hide-narrow">{key.prefix ? `${key.prefix}…` : key.id}</div>
                    {key.static && <span className="badge">config</span>}
                    {key.revoked && <span className="badge danger">revoked</span>}
                    {key.expired && !key.revoked && <span className="badge warn">expired</span>}
                  </td>
                  <td className="hide-narrow">{key.team ?? <span className="muted">—</span>}</td>
                  <td className="hide-narrow">{key.models.join(', ')}</td>
                  <td>
                    {key.budget === null ? (
                      <span className="muted">no budget</span>
                    ) : key.spend ? (
                      <BudgetBar
                        spentUsd={key.spend.spentUsd}
                        limitUsd={key.spend.limitUsd}
                        period={key.budget.period}
                      />
                    ) : (
                      <span className="muted">{`${formatUsd(key.budget.usd)} ${perPeriod(key.budget.period)}`}</span>
                    )}
                  </td>
                  <td className="hide-narrow">{limitsSummary(key)}</td>
                  <td className="hide-narrow">{formatAgo(key.lastUsedAt)}</td>
                  <td className="actions">
                    {!key.static && !key.revoked && (
                      <>
                        <button
                          type="button"
                          className="button small"
                          aria-label={`Edit ${key.name}`}
                          onClick={() => setOpen({ kind: 'edit', key })}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="button small"
                          aria-label={`Rotate ${key.name}`}
                          onClick={() => setOpen({ kind: 'rotate', key })}
                        >
                          Rotate
                        </button>
                        <button
                          type="button"
                          className="button small danger"
                          aria-label={`Revoke ${key.name}`}
                          onClick={() => setOpen({ kind: 'revoke', key })}
                        >
                          Revoke
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open?.kind === 'create' && <KeyDialog teams={props.teams} onClose={close} onSaved={keys.reload} />}
      {open?.kind === 'edit' && (
        <KeyDialog existing={open.key} teams={props.teams} onClose={close} onSaved={keys.reload} />
      )}
      {open?.kind === 'rotate' && (
        <ConfirmDialog
          title={`Rotate “${open.key.name}”?`}
          message="A new secret replaces the current one at once: clients using the old secret are refused from now on."
          confirmLabel="Rotate secret"
          onClose={close}
          onConfirm={async () => {
            const rotated = await api<CreatedKey>(`/admin/keys/${encodeURIComponent(open.key.id)}/rotate`, {
              method: 'POST',
            });
            keys.reload();
            setOpen({ kind: 'rotated', key: open.key, secret: rotated.key });
          }}
        />
      )}
      {open?.kind === 'rotated' && (
        <Dialog title={`New secret for “${open.key.name}”`} onClose={close}>
          <SecretReveal secret={open.secret} onDone={close} />
        </Dialog>
      )}
      {open?.kind === 'revoke' && (
        <ConfirmDialog
          title={`Revoke “${open.key.name}”?`}
          message="Clients using this key are refused from the next request. This cannot be undone."
          confirmLabel="Revoke key"
          danger
          onClose={close}
          onConfirm={async () => {
            await api(`/admin/keys/${encodeURIComponent(open.key.id)}`, { method: 'DELETE' });
            keys.reload();
            close();
          }}
        />
      )}
    </>
  );
}
