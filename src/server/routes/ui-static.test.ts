import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerUiRoutes } from './ui-static.ts';

const INDEX =
  '<!doctype html><title>llmux console</title><script type="module" src="/ui/assets/index-abc123.js"></script>';
const SCRIPT = 'console.log("console");';

/** A raw request: the path is sent exactly as written (fetch would normalise `..` away). */
function rawGet(
  url: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console static files at /ui', () => {
  const directory = mkdtempSync(join(tmpdir(), 'llmux-ui-'));
  const root = join(directory, 'dist', 'ui');
  let app: FastifyInstance;
  let missing: FastifyInstance;
  let url: string;
  let missingUrl: string;

  before(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), INDEX);
    writeFileSync(join(root, 'assets', 'index-abc123.js'), SCRIPT);
    writeFileSync(join(root, 'assets', 'index-abc123.css'), 'body{margin:0}');
    writeFileSync(join(root, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(directory, 'dist', 'secret.txt'), 'outside the build');
    writeFileSync(join(directory, 'dist', 'ui-evil.txt'), 'a sibling whose name starts like the root');
    app = Fastify();
    registerUiRoutes(app, root);
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    missing = Fastify();
    registerUiRoutes(missing, join(directory, 'not-built'));
    missingUrl = await missing.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app.close();
    await missing.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('/ui, /ui/ and client routes answer index.html, not cached, with a strict content security policy', async () => {
    for (const path of ['/ui', '/ui/', '/ui/requests', '/ui/keys/key_123/edit']) {
      const response = await fetch(`${url}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8', path);
      assert.equal(response.headers.get('cache-control'), 'no-cache', path);
      assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self';/, path);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', path);
      assert.equal(await response.text(), INDEX, path);
    }
  });

  test('assets: content types, immutable cache, HEAD without a body', async () => {
    const expected: Array<[string, string, string]> = [
      ['/ui/assets/index-abc123.js', 'text/javascript; charset=utf-8', SCRIPT],
      ['/ui/assets/index-abc123.css', 'text/css; charset=utf-8', 'body{margin:0}'],
      ['/ui/assets/logo.svg', 'image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
    ];
    for (const [path, type, body] of expected) {
      const response = await fetch(`${url}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), type, path);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable', path);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(await response.text(), body, path);
    }
    const head = await fetch(`${url}/ui/assets/index-abc123.js`, { method: 'HEAD' });
    assert.equal(head.status, 200, 'HEAD');
    assert.equal(head.headers.get('content-length'), String(SCRIPT.length), 'HEAD has the length');
    assert.equal(await head.text(), '', 'HEAD has no body');
  });

  test('a missing asset is a 404, never index.html', async () => {
    const response = await fetch(`${url}/ui/assets/gone-123.js`);
    assert.equal(response.status, 404, 'missing file');
    assert.equal(await response.text(), 'Not found\n');
  });

  test('path traversal cannot leave the build folder, however it is spelled', async () => {
    const attempts = [
      '/ui/../secret.txt',
      '/ui/assets/../../secret.txt',
      '/ui/%2e%2e/secret.txt',
      '/ui/%2E%2E/%2E%2E/package.json',
      '/ui/..%2fsecret.txt',
      '/ui/..%2Fsecret.txt',
      '/ui/..%5csecret.txt',
      '/ui/assets/..%5c..%5csecret.txt',
      '/ui/%00/secret.txt',
      '/ui/./index.html',
      '/ui/C:/Windows/win.ini',
      '/ui/..',
      '/ui/../ui-evil.txt',
      '/ui//etc/passwd',
      '/ui/%2Fetc%2Fpasswd.txt',
    ];
    for (const path of attempts) {
      const response = await rawGet(url, path);
      // An extensionless path is a client route: it may get the app's own index.html, nothing else.
      assert.ok(
        response.status === 404 || response.status === 400 || response.body === INDEX,
        `${path} refused (got ${response.status} ${response.body.slice(0, 60)})`,
      );
      assert.ok(
        !response.body.includes('outside the build') && !response.body.includes('sibling'),
        `${path} leaks nothing`,
      );
    }
  });

  test('without a build, /ui answers 503 saying to run npm run build', async () => {
    for (const path of ['/ui', '/ui/overview']) {
      const response = await fetch(`${missingUrl}${path}`);
      assert.equal(response.status, 503, path);
      assert.match(await response.text(), /npm run build/, path);
    }
    assert.equal((await fetch(`${missingUrl}/ui/assets/index-abc123.js`)).status, 404, 'an asset is simply missing');
  });
});
