// The floor: a bare node:http reverse proxy on one undici Pool (Pool.request), streaming the
// request and response bodies through untouched. No parsing, no auth, no logging.
// Usage: node bench/procs/bare-proxy.mjs <port> <upstreamOrigin>   (prints {"port":N} once listening)

import { once } from 'node:events';
import http from 'node:http';
import { Pool } from 'undici';

const port = Number(process.argv[2] ?? 0);
const origin = process.argv[3] ?? 'http://127.0.0.1:8000';
const pool = new Pool(origin, { connections: 256, pipelining: 1 });

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'upgrade', 'proxy-connection']);

function strip(headers) {
  const out = {};
  for (const name in headers) if (!HOP_BY_HOP.has(name)) out[name] = headers[name];
  return out;
}

const server = http.createServer(async (req, res) => {
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  try {
    const upstream = await pool.request({
      path: req.url ?? '/',
      method: req.method ?? 'GET',
      headers: strip(req.headers),
      body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
      signal: abort.signal,
    });
    res.writeHead(upstream.statusCode, strip(upstream.headers));
    for await (const chunk of upstream.body) {
      if (!res.write(chunk)) await once(res, 'drain');
    }
    res.end();
  } catch {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"bare proxy: upstream failed"}}');
    } else {
      res.destroy();
    }
  }
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
