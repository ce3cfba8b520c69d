/** Patterns of credentials that upstream messages sometimes echo back (partially masked or not). */
const SECRET_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_*.-]{3,}/g,
  /\bsk-ant-[A-Za-z0-9_*.-]{3,}/g,
  /\bAIza[0-9A-Za-z_*-]{10,}/g,
  /\b(Bearer\s+)[A-Za-z0-9_*.\-=]{8,}/gi,
];

/** Removes known secrets and anything key-shaped from text that may reach a client or a log. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match, bearer: unknown) =>
      typeof bearer === 'string' ? `${bearer}[redacted]` : '[redacted]',
    );
  }
  return out;
}
