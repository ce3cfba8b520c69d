import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { Dialog } from './Dialog.tsx';

/** Asks before a destructive action; shows the API's error in place when it fails. */
export function ConfirmDialog(props: {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm(): Promise<void>;
  onClose(): void;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
    } catch (reason) {
      setError(reason instanceof ApiError || reason instanceof Error ? reason.message : String(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <p>{props.message}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={props.onClose}>
          Cancel
        </button>
        <button
          type="button"
          className={props.danger ? 'button danger' : 'button primary'}
          disabled={busy}
          onClick={() => void confirm()}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
