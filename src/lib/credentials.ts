/** The API key a client presented: `Authorization: Bearer`, `x-api-key` or `x-goog-api-key`. */
export function presentedKey(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1]) return match[1].trim();
  }
  const apiKey = headers['x-api-key'] ?? headers['x-goog-api-key'];
  const value = Array.isArray(apiKey) ? apiKey[0] : apiKey;
  return value?.trim() || undefined;
}

/** A connection URL fit for a message: its password masked; `setting` names it when it is not a URL. */
export function withoutPassword(url: string, setting: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return `(${setting}, not a URL)`;
  }
}
