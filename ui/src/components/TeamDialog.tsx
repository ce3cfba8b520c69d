import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { TeamView } from '../api/types.ts';
import { FieldError, type LimitsDraft, limitsBody, limitsDraft, modelsList, withoutNulls } from '../limits-form.ts';
import { Dialog } from './Dialog.tsx';
import { LimitsFields } from './LimitsFields.tsx';

export function TeamDialog(props: { existing?: TeamView; onClose(): void; onSaved(): void }) {
  const existing = props.existing;
  const [name, setName] = useState(existing?.name ?? '');
  const [models, setModels] = useState(existing ? existing.models.join(', ') : '*');
  const [limits, setLimits] = useState<LimitsDraft>(limitsDraft(existing));
  const [error, setError] = useState<{ field: string | null; message: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      if (name.trim() === '') throw new FieldError('name', 'Give the team a name.');
      const base = { models: modelsList(models), ...limitsBody(limits) };
      setBusy(true);
      if (existing) await api(`/admin/teams/${encodeURIComponent(existing.name)}`, { method: 'PATCH', body: base });
      else await api('/admin/teams', { method: 'POST', body: { name: name.trim(), ...withoutNulls(base) } });
      props.onSaved();
      props.onClose();
    } catch (reason) {
      if (reason instanceof FieldError) setError({ field: reason.field, message: reason.message });
      else if (reason instanceof ApiError) setError({ field: reason.param, message: reason.message });
      else setError({ field: null, message: String(reason) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={existing ? `Edit team “${existing.name}”` : 'Create a team'} onClose={props.onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="form-row">
          <label className="field">
            <span>Name</span>
            <input
              name="name"
              autoFocus={!existing}
              disabled={existing !== undefined}
              value={name}
              aria-invalid={error?.field === 'name'}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="field grow">
            <span>Models (comma-separated, * = all)</span>
            <input name="models" value={models} onChange={(e) => setModels(e.target.value)} />
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
            {existing ? 'Save' : 'Create team'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
