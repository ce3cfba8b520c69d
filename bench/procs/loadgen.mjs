// Node load generator (used when wrk is missing, or with BENCH_LOADGEN=node): N connections on one
// undici Pool, each a closed loop of POSTs, response bodies read to the end. Runs in its own
// process so the gateway's CPU is measured alone.
// Usage: node bench/procs/loadgen.mjs '<json spec>'  spec: {url, connections, seconds, body, headers}
// Prints one JSON line: {requests, seconds, p50, p90, p99, max, errors, statuses}. Latencies in µs.
import { Pool } from 'undici';

const spec = JSON.parse(process.argv[2] ?? '{}');
const url = new URL(spec.url);
const pool = new Pool(url.origin, { connections: spec.connections, pipelining: 1 });
const path = url.pathname + url.search;
const headers = { 'content-type': 'application/json', ...spec.headers };
const body = Buffer.from(spec.body);
const latencies = [];
let errors = 0;
const statuses = {};

async function loop(deadline) {
  while (performance.now() < deadline) {
    const start = performance.now();
    try {
      const response = await pool.request({ path, method: 'POST', headers, body });
      for await (const _chunk of response.body) {
        // read to the end
      }
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
      if (response.statusCode >= 400) errors += 1;
    } catch {
      errors += 1;
      continue;
    }
    latencies.push((performance.now() - start) * 1000);
  }
}

const begun = performance.now();
const deadline = begun + spec.seconds * 1000;
await Promise.all(Array.from({ length: spec.connections }, () => loop(deadline)));
const seconds = (performance.now() - begun) / 1000;
await pool.close();
const sorted = Float64Array.from(latencies).sort();
const at = (q) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, seconds, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), errors, statuses })}\n`,
);
