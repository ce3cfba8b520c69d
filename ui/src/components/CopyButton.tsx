import { useState } from 'react';

/** Copies `text`; falls back to selecting it when the clipboard API is refused (plain http). */
export function CopyButton(props: { text: string; label?: string; targetId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      const target = props.targetId ? document.getElementById(props.targetId) : null;
      if (target instanceof HTMLInputElement) target.select();
    }
  };
  return (
    <button type="button" className="button" onClick={() => void copy()} aria-live="polite">
      {copied ? 'Copied' : (props.label ?? 'Copy')}
    </button>
  );
}
