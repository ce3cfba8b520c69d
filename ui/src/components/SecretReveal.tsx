import { CopyButton } from './CopyButton.tsx';

/** A new key's secret: shown once, never again (llmux keeps only its hash). */
export function SecretReveal(props: { secret: string; onDone(): void }) {
  return (
    <div className="secret">
      <p>
        Copy this key now. <strong>It is not shown again</strong>: llmux stores only its hash.
      </p>
      <div className="secret-row">
        <input
          id="new-key-secret"
          className="mono"
          readOnly
          value={props.secret}
          aria-label="New key secret"
          onFocus={(e) => e.target.select()}
        />
        <CopyButton text={props.secret} targetId="new-key-secret" />
      </div>
      <div className="dialog-actions">
        <button type="button" className="button primary" onClick={props.onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
