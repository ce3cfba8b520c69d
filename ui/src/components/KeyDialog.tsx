import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { CreatedKey, KeyView, TeamView } from '../api/types.ts';
import { FieldError, type LimitsDraft, limitsBody, limitsDraft, modelsList, withoutNulls } from '../limits-form.ts';
import { Dialog } from './Dialog.tsx';
import { LimitsFields } from './LimitsFields.tsx';
import { SecretReveal } from './SecretReveal.tsx';

/** Create a key (then show its secret once) or edit one (`existing`). */
export function KeyDialog(props: { existing?: KeyView; teams: TeamView[]; onClose(): void; onSaved(): void }) {
  const existing = props.existing;
  const [name, setName] = useState(existing?.name ?? '');
  const [team, setTeam] = useState(existing?.team ?? '');
  const [models, setModels] = useState(existing ? existing.models.join(', ') : '*');
  const [limits, setLimits] = useState<LimitsDraft>(limitsDraft(existing));
  const [error, setError] = useState<{ field: string | null; message: string }>();
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      if (name.trim() === '') throw new FieldError('name', 'Give the key a name.');
      const base = { name: name.trim(), models: modelsList(models), ...limitsBody(limits) };
      setBusy(true);
      if (existing) {
        await api(`/admin/keys/${encodeURIComponent(existing.id)}`, {
          method: 'PATCH',
          body: { ...base, team: team === '' ? null : team },
        });
        props.onSaved();
        props.onClose();
      } else {
        const created = await api<CreatedKey>('/admin/keys', {
          method: 'POST',
          body: { ...withoutNulls(base), ...(team === '' ? {} : { team }) },
        });
        props.onSaved();
        setSecret(created.key);
      }
    } catch (reason) {
      if (reason instanceof FieldError) setError({ field: reason.field, message: reason.message });
      else if (reason instanceof ApiError) setError({ field: reason.param, message: reason.message });
      else setError({ field: null, message: String(reason) });
    } finally {
      setBusy(false);
    }
  };

  if (secret !== undefined)
    return (
      <Dialog key="secret" title={`Key “${name.trim()}” created`} onClose={props.onClose}>
        <SecretReveal secret={secret} onDone={props.onClose} />
      </Dialog>
    );

  return (
    <Dialog title={existing ? `Edit key “${existing.name}”` : 'Create a key'} onClose={props.onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label className="field">
          <span>Name</span>
          <input
            name="name"
            required
            autoFocus
            value={name}
            aria-invalid={error?.field === 'name'}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <div className="form-row">
          <label className="field">
            <span>Team</span>
            <select name="team" value={team} onChange={(e) => setTeam(e.target.value)}>
              <option value="">No team</option>
              {props.teams.map((t) => (
                <option key={t.name} value={t.name}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field grow">
            <span>Models (comma-separated, * = all)</span>
            <input
              name="models"
              value={models}
              aria-invalid={error?.field === 'models'}
              onChange={(e) => setModels(e.target.value)}
            />
          </label>
        </div>
        <LimitsFields draft={limits} onChange={setLimits} errorField={error?.field ?? undefined} />
        {error && (
          <p className="form-error" role="alert">
            {error.message}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {existing ? 'Save' : 'Create key'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
