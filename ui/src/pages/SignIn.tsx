import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.ts';

function signInMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 401)
    return 'That admin key is not right. Check server.adminKey in the config.';
  if (error instanceof ApiError && error.status === 404)
    return 'The admin API is off on this server: set server.adminKey in the config and reload llmux.';
  return error instanceof Error ? error.message : 'Sign-in failed.';
}

export function SignIn(props: { onSignedIn(key: string): void; notice?: string | undefined }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (trimmed === '') {
      setError('Enter the admin key.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api('/admin/me', { key: trimmed });
      props.onSignedIn(trimmed);
    } catch (reason) {
      setError(signInMessage(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={(event) => void submit(event)} noValidate>
        <div className="brand signin-brand">
          <span className="brand-mark" aria-hidden="true">
            lx
          </span>
          llmux <span className="brand-sub">console</span>
        </div>
        <h1>Sign in</h1>
        <p className="muted">Use the admin key of this gateway (server.adminKey). It stays in this tab only.</p>
        {props.notice && !error && <p className="notice">{props.notice}</p>}
        <label className="field">
          <span>Admin key</span>
          <input
            type="password"
            name="adminKey"
            autoComplete="current-password"
            // biome-ignore lint/a11y/noAutofocus: the only thing to do on this page.
            autoFocus
            value={key}
            onChange={(event) => setKey(event.target.value)}
            aria-invalid={error !== undefined}
            aria-describedby={error ? 'signin-error' : undefined}
          />
        </label>
        {error && (
          <p id="signin-error" className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary block" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
