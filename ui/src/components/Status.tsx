import type { ReactNode } from 'react';

export function Loading(props: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {props.label ?? 'Loading…'}
    </div>
  );
}

export function ErrorBox(props: { error: Error; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <strong>Something went wrong.</strong> {props.error.message}
      {props.onRetry && (
        <button type="button" className="button small" onClick={props.onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty(props: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{props.title}</strong>
      {props.children && <div className="muted">{props.children}</div>}
    </div>
  );
}
