/**
 * Development only: serves dist/ui and a canned /admin/* API (shapes of docs/console.md) so the
 * console can be worked on without a gateway. `node --import tsx ui/dev/mock-server.ts [port]`.
 * The browser tests run against real llmux, never this.
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

const ADMIN_KEY = 'dev-admin-key';
const DIST = join(import.meta.dirname, '..', '..', 'dist', 'ui');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};
const now = Date.now();
const models = ['gpt-4o-mini', 'claude-sonnet', 'gemini-flash'];
const keysList = ['web-app', 'batch-jobs', 'alice'];

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function points(seed: number, bucketMs: number, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const requests = Math.round(20 + 15 * Math.sin((i + seed) / 5) + seed * 3);
    return {
      t: Math.floor((now - (count - i) * bucketMs) / bucketMs) * bucketMs,
      requests,
      errors: i % 7 === 0 ? 2 : 0,
      inputTokens: requests * 300,
      outputTokens: requests * 120,
      costUsd: requests * 0.0012,
      latencyP50Ms: 400 + seed * 50 + (i % 5) * 20,
      latencyP95Ms: 1200 + seed * 80 + (i % 3) * 90,
      ttftP50Ms: 180 + seed * 10,
      ttftP95Ms: 520 + seed * 40,
    };
  });
}

const requests = Array.from({ length: 30 }, (_, i) => ({
  timestamp: new Date(now - i * 61_000).toISOString(),
  requestId: `req_${1000 + i}`,
  clientRequestId: null,
  keyName: keysList[i % 3],
  keyId: `key_${i % 3}`,
  team: i % 2 ? 'ops' : null,
  publicModel: models[i % 3],
  provider: 'openai',
  upstreamModel: 'gpt-4o-mini-2024-07-18',
  status: i % 9 === 4 ? 429 : 200,
  latencyMs: 500 + i * 13,
  ttftMs: 200 + i,
  stream: i % 2 === 0,
  attempts: 1,
  inputTokens: 320,
  outputTokens: 110,
  cachedInputTokens: 0,
  reasoningTokens: null,
  usageEstimated: false,
  costUsd: 0.00042,
  surface: 'openai-chat',
  errorCode: i % 9 === 4 ? 'rate_limited' : null,
  fallbackModels: null,
}));

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname.startsWith('/admin/')) {
    if (req.headers.authorization !== `Bearer ${ADMIN_KEY}`)
      return json(res, 401, {
        error: { message: 'Incorrect admin key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
      });
    const range = url.searchParams.get('range') ?? '24h';
    const bucketMs = { '1h': 60_000, '24h': 900_000, '7d': 3_600_000, '30d': 21_600_000 }[range] ?? 900_000;
    const count = { '1h': 60, '24h': 96, '7d': 168, '30d': 120 }[range] ?? 96;
    switch (url.pathname) {
      case '/admin/me':
        return json(res, 200, { ok: true, version: '0.1.0' });
      case '/admin/stats/summary':
        return json(res, 200, {
          range,
          requests: 2431,
          errors: 37,
          errorRate: 37 / 2431,
          requestsPerSecond: 0.028,
          inputTokens: 729_300,
          outputTokens: 291_720,
          costUsd: 2.917,
          latencyP50Ms: 480,
          latencyP95Ms: 1450,
          ttftP50Ms: 190,
          ttftP95Ms: 610,
          topKeys: keysList.map((keyName, i) => ({
            keyName,
            team: i ? 'ops' : null,
            requests: 900 - i * 200,
            costUsd: 1.4 - i * 0.4,
          })),
        });
      case '/admin/stats/timeseries': {
        const groupBy = url.searchParams.get('groupBy') ?? 'none';
        const groups = groupBy === 'none' ? [null] : groupBy === 'key' ? keysList : models;
        return json(res, 200, {
          range,
          bucketMs,
          from: now - count * bucketMs,
          to: now,
          series: groups.map((group, i) => ({ group, points: points(i, bucketMs, count) })),
        });
      }
      case '/admin/keys':
        return json(res, 200, {
          object: 'list',
          total: 3,
          has_more: false,
          data: keysList.map((name, i) => ({
            id: `key_${i}`,
            object: 'key',
            name,
            prefix: `sk-llmux-ab${i}`,
            static: false,
            team: i ? 'ops' : null,
            models: ['*'],
            rpm: i ? 600 : null,
            tpm: null,
            maxConcurrent: null,
            budget: i === 1 ? { usd: 50, period: 'month' } : null,
            expiresAt: null,
            expired: false,
            revoked: false,
            createdAt: new Date(now).toISOString(),
            updatedAt: null,
            revokedAt: null,
          })),
        });
      case '/admin/teams':
        return json(res, 200, {
          object: 'list',
          total: 1,
          has_more: false,
          data: [
            {
              name: 'ops',
              object: 'team',
              static: true,
              models: ['*'],
              rpm: 600,
              tpm: null,
              maxConcurrent: null,
              budget: { usd: 100, period: 'month' },
            },
          ],
        });
      case '/admin/requests':
        return json(res, 200, { object: 'list', data: requests });
      case '/admin/models':
        return json(res, 200, {
          data: models.map((name, i) => ({
            name,
            wildcard: false,
            deployments: [
              {
                id: `${name}#0`,
                provider: 'openai',
                providerType: 'openai',
                upstreamModel: `${name}-2025`,
                state: i === 1 ? 'open' : 'closed',
                inFlight: i,
                latencyAvgMs: 420 + i * 100,
                recentErrors: i === 1 ? [{ at: now - 60_000, code: 'upstream_5xx', message: 'Bad gateway' }] : [],
                price: { inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6, cachedInputPerMTokUsd: 0.075 },
              },
            ],
          })),
        });
    }
    if (url.pathname.startsWith('/admin/requests/'))
      return json(res, 200, {
        ...requests[0],
        attempts: [
          {
            publicModel: 'gpt-4o-mini',
            provider: 'openai',
            deployment: 'gpt-4o-mini#0',
            upstreamModel: 'gpt-4o-mini-2025',
            startedAt: now,
            durationMs: 512,
            outcome: 'ok',
            status: 200,
            errorCode: null,
            fallback: false,
          },
        ],
      });
    return json(res, 404, { error: { message: 'not mocked' } });
  }
  let file = join(DIST, url.pathname.replace(/^\/ui\/?/, ''));
  try {
    if (!statSync(file).isFile()) throw new Error('dir');
  } catch {
    file = join(DIST, 'index.html');
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
}).listen(Number(process.argv[2] ?? 4100), '127.0.0.1');
