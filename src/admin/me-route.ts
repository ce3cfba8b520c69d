import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** `GET /admin/me`: answers when the admin key is right (the console's sign-in check). */
export function registerMeRoute(scope: FastifyInstance): void {
  const version = packageVersion();
  scope.get('/admin/me', async () => ({ ok: true, version }));
}

/** package.json sits two folders up from src/admin/ and from dist/admin/ alike. */
function packageVersion(): string {
  try {
    const manifest: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const version = typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'version') : undefined;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
