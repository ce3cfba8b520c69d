import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { BudgetStatus, ListOf, TeamView } from '../api/types.ts';
import { limitsSummary } from '../limits-form.ts';
import type { ApiState } from '../useApi.ts';
import { BudgetBar } from './BudgetBar.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { Empty, ErrorBox, Loading } from './Status.tsx';
import { TeamDialog } from './TeamDialog.tsx';

type Open = { kind: 'create' } | { kind: 'edit'; team: TeamView } | { kind: 'delete'; team: TeamView };

function useTeamSpend(teams: TeamView[] | undefined): Map<string, BudgetStatus | null> {
  const [spend, setSpend] = useState(new Map<string, BudgetStatus | null>());
  useEffect(() => {
    if (!teams) return;
    const controller = new AbortController();
    const budgeted = teams.filter((team) => team.budget !== null);
    Promise.all(
      budgeted.map((team) =>
        api<TeamView>(`/admin/teams/${encodeURIComponent(team.name)}`, { signal: controller.signal })
          .then((detail): [string, BudgetStatus | null] => [team.name, detail.spend ?? null])
          .catch((): [string, BudgetStatus | null] => [team.name, null]),
      ),
    ).then((entries) => {
      if (!controller.signal.aborted) setSpend(new Map(entries));
    });
    return () => controller.abort();
  }, [teams]);
  return spend;
}

export function TeamsTable(props: { state: ApiState<ListOf<TeamView>> }) {
  const teams = props.state;
  const spend = useTeamSpend(teams.data?.data);
  const [open, setOpen] = useState<Open>();
  const close = () => setOpen(undefined);
  return (
    <>
      <div className="toolbar">
        <button type="button" className="button" onClick={() => setOpen({ kind: 'create' })}>
          Create team
        </button>
      </div>
      {teams.error ? (
        <ErrorBox error={teams.error} onRetry={teams.reload} />
      ) : !teams.data ? (
        <Loading />
      ) : teams.data.data.length === 0 ? (
        <Empty title="No teams yet.">Teams share limits and a budget across their keys.</Empty>
      ) : (
        <div className="table-wrap card">
          <table className="table" data-testid="teams-table">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col" className="hide-narrow">
                  Models
                </th>
                <th scope="col">Spend / budget</th>
                <th scope="col" className="hide-narrow">
                  Limits
                </th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {teams.data.data.map((team) => {
                const status = spend.get(team.name);
                return (
                  <tr key={team.name}>
                    <td>
                      <span className="strong">{team.name}</span> {team.static && <span className="badge">config</span>}
                    </td>
                    <td className="hide-narrow">{team.models.join(', ')}</td>
                    <td>
                      {team.budget === null ? (
                        <span className="muted">no budget</span>
                      ) : (
                        <BudgetBar
                          spentUsd={status?.spentUsd ?? 0}
                          limitUsd={status?.limitUsd ?? team.budget.usd}
                          period={team.budget.period}
                        />
                      )}
                    </td>
                    <td className="hide-narrow">{limitsSummary(team)}</td>
                    <td className="actions">
                      {!team.static && (
                        <>
                          <button
                            type="button"
                            className="button small"
                            aria-label={`Edit team ${team.name}`}
                            onClick={() => setOpen({ kind: 'edit', team })}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="button small danger"
                            aria-label={`Delete team ${team.name}`}
                            onClick={() => setOpen({ kind: 'delete', team })}
                          >
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {open?.kind === 'create' && <TeamDialog onClose={close} onSaved={teams.reload} />}
      {open?.kind === 'edit' && <TeamDialog existing={open.team} onClose={close} onSaved={teams.reload} />}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete team “${open.team.name}”?`}
          message="A team that still has keys cannot be deleted: move or revoke them first."
          confirmLabel="Delete team"
          danger
          onClose={close}
          onConfirm={async () => {
            await api(`/admin/teams/${encodeURIComponent(open.team.name)}`, { method: 'DELETE' });
            teams.reload();
            close();
          }}
        />
      )}
    </>
  );
}
