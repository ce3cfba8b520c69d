import { useState } from 'react';
import type { ListOf, TeamView } from '../api/types.ts';
import { KeysTable } from '../components/KeysTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { TeamsTable } from '../components/TeamsTable.tsx';
import { useApi } from '../useApi.ts';

export function Keys() {
  const [showRevoked, setShowRevoked] = useState(false);
  const teams = useApi<ListOf<TeamView>>('/admin/teams?limit=1000');
  return (
    <>
      <PageHeader
        title="Keys & teams"
        subtitle="Who may call this gateway, with which models, how fast and for how much."
      />
      <div className="section-head">
        <h2>Keys</h2>
        <label className="checkbox">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} /> Show
          revoked
        </label>
      </div>
      <KeysTable includeRevoked={showRevoked} teams={teams.data?.data ?? []} />
      <h2>Teams</h2>
      <TeamsTable state={teams} />
    </>
  );
}
