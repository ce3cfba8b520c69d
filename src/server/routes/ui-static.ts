import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The console's build: `dist/ui` of the package (this file is three folders down in src/ and dist/ alike). */
export const DEFAULT_UI_ROOT = fileURLToPath(new URL('../../../dist/ui/', import.meta.url));

export const UI_PATH = '/ui';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page itself may load only what this server serves: a console holding the admin key runs no
 * script from elsewhere and cannot be framed.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/** Vite names the files under assets/ by their content hash: they never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * `GET /ui` and `/ui/*`: the console's static files, without the admin key (the app asks for it).
 * A path with no file extension is a client route and gets index.html; a missing file is a 404;
 * a path that would leave the build folder is refused before the file system is asked.
 */
export function registerUiRoutes(app: FastifyInstance, root: string = DEFAULT_UI_ROOT): void {
  const base = resolve(root);
  const handler = async (path: string, reply: FastifyReply) => {
    const segments = path.split('/').filter((segment) => segment !== '');
    if (segments.some(unsafeSegment)) return notFound(reply);
    const file = segments.length === 0 ? 'index.html' : segments.join('/');
    const clientRoute = segments.length === 0 || extname(segments.at(-1) as string) === '';
    const target = resolve(join(base, clientRoute ? 'index.html' : file));
    if (!target.startsWith(base + sep)) return notFound(reply);
    const found = await fileSize(target);
    if (found === undefined) {
      if (clientRoute) return notBuilt(reply);
      return notFound(reply);
    }
    const type = CONTENT_TYPES[extname(target)] ?? 'application/octet-stream';
    reply.header('content-type', type).header('content-length', found).header('x-content-type-options', 'nosniff');
    if (type.startsWith('text/html')) reply.headers(PAGE_HEADERS).header('cache-control', 'no-cache');
    else reply.header('cache-control', segments[0] === 'assets' ? IMMUTABLE : 'no-cache');
    return reply.send(createReadStream(target));
  };
  app.get(UI_PATH, (_request, reply) => handler('', reply));
  app.get<{ Params: { '*': string } }>(`${UI_PATH}/*`, (request, reply) => handler(request.params['*'], reply));
}

/** `..`, `.`, a backslash (a Windows separator), a NUL or a drive letter: never a file of the build. */
function unsafeSegment(segment: string): boolean {
  return segment === '..' || segment === '.' || /[\\\0:]/.test(segment);
}

async function fileSize(path: string): Promise<number | undefined> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? stats.size : undefined;
  } catch {
    return undefined;
  }
}

function notFound(reply: FastifyReply) {
  return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found\n');
}

function notBuilt(reply: FastifyReply) {
  return reply
    .code(503)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('cache-control', 'no-store')
    .send('The llmux console is not built: run `npm run build` (it builds dist/ui), then restart llmux.\n');
}

/** True for the paths the console's static files are served on (no client key needed). */
export function isUiPath(path: string): boolean {
  return path === UI_PATH || path.startsWith(`${UI_PATH}/`);
}
