/** Patterns of credentials that upstream messages sometimes echo back (partially masked or not). */
const SECRET_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_*.-]{3,}/g,
  /\bsk-ant-[A-Za-z0-9_*.-]{3,}/g,
  /\bAIza[0-9A-Za-z_*-]{10,}/g,
  /\b(Bearer\s+)[A-Za-z0-9_*.\-=]{8,}/gi,
];

const REDACTED = '[redacted]';
/** Shorter values would redact ordinary words. */
const MIN_SECRET_LENGTH = 6;
/** Error payloads nest a few levels; anything deeper is not worth walking (and could overflow the stack). */
const MAX_DEPTH = 32;

/**
 * The secrets this process knows (provider API keys, llmux client keys), registered at startup, so
 * that every output boundary (error envelopes, stream error events, log lines) removes them
 * without being handed them. Held with the forms they take inside JSON and URLs.
 */
const knownSecrets = new Set<string>();
let knownPattern: RegExp | undefined;

export function registerSecrets(secrets: Iterable<string | undefined>): void {
  let added = false;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) {
      if (knownSecrets.has(form)) continue;
      knownSecrets.add(form);
      added = true;
    }
  }
  if (!added) return;
  // Longest first, so that a secret containing another is removed whole.
  const alternatives = [...knownSecrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
  knownPattern = new RegExp(alternatives.join('|'), 'g');
}

/**
 * Removes the registered secrets, the ones given, and anything key-shaped from text that may reach
 * a client or a log.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= MIN_SECRET_LENGTH) out = out.split(secret).join(REDACTED);
  }
  if (knownPattern) out = out.replace(knownPattern, REDACTED);
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, bearer: unknown) =>
      typeof bearer === 'string' ? `${bearer}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/** `redactSecrets` for an optional field (`param`, `code`) that may be null. */
export function redactOptional<T extends string | null | undefined>(
  text: T,
  secrets: ReadonlyArray<string | undefined> = [],
): T {
  return (typeof text === 'string' ? redactSecrets(text, secrets) : text) as T;
}

/**
 * Every string (and property name) of a parsed JSON value redacted. Returns the value itself when
 * nothing changed, so callers can keep the original bytes.
 */
export function redactJsonStrings(value: unknown, secrets: ReadonlyArray<string | undefined> = [], depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) {
    const items = value.map((item) => redactJsonStrings(item, secrets, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const safeKey = redactSecrets(key, secrets);
    const safeItem = redactJsonStrings(item, secrets, depth + 1);
    if (safeKey !== key || safeItem !== item) changed = true;
    out[safeKey] = safeItem;
  }
  return changed ? out : value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
