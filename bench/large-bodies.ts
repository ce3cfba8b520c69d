/**
 * Memory cost of large request bodies (issue 12 item 4). Not a test: it prints numbers.
 *
 *   node --import tsx bench/large-bodies.ts
 *
 * Starts llmux as its own process (the sources through tsx) in front of a small upstream that
 * reads and drops each body and answers a short completion after LARGE_UPSTREAM_DELAY_MS; sends
 * LARGE_N concurrent non-streaming chat requests of LARGE_MB each (passthrough path), and reports
 * llmux's RSS: before, peak during the burst, and after LARGE_SETTLE_S seconds.
 *
 * Environment: LARGE_N (64), LARGE_MB (30), LARGE_SETTLE_S (10), LARGE_UPSTREAM_DELAY_MS (500),
 * LARGE_REPO (this repository; point it at another checkout to measure older code),
 * LARGE_SERVER (extra YAML for `server:`, e.g. "maxInflightBodyMb: 0"; empty for old code).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, sleep, startChild, waitForPort } from './lib/procs.ts';

const N = Number(process.env.LARGE_N ?? 64);
const MB = Number(process.env.LARGE_MB ?? 30);
const SETTLE_S = Number(process.env.LARGE_SETTLE_S ?? 10);
const UPSTREAM_DELAY_MS = Number(process.env.LARGE_UPSTREAM_DELAY_MS ?? 500);
const REPO = process.env.LARGE_REPO ?? new URL('../', import.meta.url).pathname;
const SERVER_EXTRA = process.env.LARGE_SERVER ?? 'maxInflightBodyMb: 0';
const KEY = 'sk-bench-large-bodies';

const COMPLETION = JSON.stringify({
  id: 'chatcmpl-large',
  object: 'chat.completion',
  created: 0,
  model: 'up',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

/** Reads and drops each body, then answers a short completion: its own process, so it never slows llmux's. */
const UPSTREAM_SCRIPT = `
const http = require('node:http');
const completion = ${JSON.stringify(COMPLETION)};
http.createServer((request, response) => {
  request.resume();
  request.on('end', () => setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(completion), ${UPSTREAM_DELAY_MS}));
}).listen(0, '127.0.0.1');
`;

function send(port: number, body: Buffer, agent: http.Agent): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'content-length': body.length },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', () => resolve(0));
    request.end(body);
  });
}

async function main(): Promise<void> {
  const upstream = startChild('upstream', process.execPath, ['-e', UPSTREAM_SCRIPT]);
  const upstreamPort = await waitForPort(upstream);
  const dir = mkdtempSync(join(tmpdir(), 'llmux-large-'));
  const config = join(dir, 'llmux.yaml');
  writeFileSync(
    config,
    `server: { host: 127.0.0.1, port: 0, bodyLimitMb: ${MB + 8}${SERVER_EXTRA ? `, ${SERVER_EXTRA}` : ''} }
store: { sqlite: ${JSON.stringify(join(dir, 'llmux.db'))} }
logging: { level: warn }
router: { cooldown: { failures: 1000000 }, timeouts: { connectMs: 120000, firstByteMs: 120000 } }
providers:
  up: { type: openai-compatible, baseUrl: "http://127.0.0.1:${upstreamPort}/v1", apiKey: up-key }
models:
  - name: big
    retry: { attempts: 1 }
    deployments: [{ provider: up, model: up }]
keys:
  - { name: bench, key: ${KEY}, models: ["*"] }
`,
  );
  const llmux = startChild('llmux', process.execPath, [join(REPO, 'bin/llmux.js'), 'serve', '-c', config], {
    cwd: REPO,
  });
  try {
    const port = await waitForPort(llmux);
    const content = 'x'.repeat(MB * 1024 * 1024 - 100);
    const body = Buffer.from(JSON.stringify({ model: 'big', messages: [{ role: 'user', content }] }));
    const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    // One small request first, so the baseline includes the warmed-up code paths.
    await send(port, Buffer.from(JSON.stringify({ model: 'big', messages: [{ role: 'user', content: 'hi' }] })), agent);
    const baseline = memory(llmux.pid).rssMb;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, memory(llmux.pid).rssMb);
    }, 20);
    const started = performance.now();
    const statuses = await Promise.all(Array.from({ length: N }, () => send(port, body, agent)));
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, memory(llmux.pid).rssMb);
    const afterBurst = memory(llmux.pid).rssMb;
    await sleep(SETTLE_S * 1000);
    const settled = memory(llmux.pid).rssMb;
    const counts = new Map<number, number>();
    for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
    console.log(`llmux at ${REPO} (server: ${SERVER_EXTRA || 'defaults'})`);
    console.log(
      `${N} concurrent requests of ${MB} MB in ${seconds.toFixed(1)} s; statuses: ${[...counts].map(([s, c]) => `${s}×${c}`).join(' ')}`,
    );
    console.log(
      `RSS MB: baseline ${baseline.toFixed(0)}, peak ${peak.toFixed(0)} (VmHWM ${memory(llmux.pid).peakMb.toFixed(0)}), ` +
        `just after ${afterBurst.toFixed(0)}, after ${SETTLE_S} s ${settled.toFixed(0)}`,
    );
    const served = counts.get(200) ?? 0;
    console.log(`peak above baseline per request served: ${((peak - baseline) / Math.max(1, served)).toFixed(1)} MB`);
    if (served + (counts.get(503) ?? 0) < N) console.log(`llmux output (tail):\n${llmux.output().slice(-1500)}`);
  } finally {
    await llmux.stop();
    await upstream.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
