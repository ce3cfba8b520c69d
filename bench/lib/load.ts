/** Load generators: wrk (default when installed) or bench/procs/loadgen.mjs, each in its own process. */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import type { BenchRequest } from './matrix.ts';

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  /** Socket errors, timeouts and responses with status >= 400. */
  errors: number;
}

export interface LoadSpec {
  port: number;
  request: BenchRequest;
  connections: number;
  seconds: number;
}

export type LoadGenerator = { name: string; version: string; run(spec: LoadSpec): Promise<LoadResult> };

export function wrkVersion(): string | undefined {
  try {
    // `wrk -v` prints its banner and exits 1.
    execFileSync('wrk', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const out = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`;
    const match = /wrk (\S+)/.exec(out);
    if (match) return match[1];
  }
  return undefined;
}

const scriptDir = mkdtempSync(join(tmpdir(), 'llmux-bench-wrk-'));
let scriptCount = 0;

function luaString(value: string): string {
  let level = '=';
  while (value.includes(`]${level}]`)) level += '=';
  return `[${level}[${value}]${level}]`;
}

function wrkScript(request: BenchRequest): string {
  const lines = ['wrk.method = "POST"', `wrk.body = ${luaString(request.body)}`];
  for (const [name, value] of Object.entries(request.headers))
    lines.push(`wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`);
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'BENCHJSON {"requests":%d,"duration_us":%d,"p50":%.1f,"p90":%.1f,"p99":%.1f,"errors":%d}\\n\',',
    '    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),',
    '    e.connect + e.read + e.write + e.status + e.timeout))',
    'end',
  );
  const path = join(scriptDir, `s${scriptCount++}.lua`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

export const wrk = (version: string): LoadGenerator => ({
  name: 'wrk',
  version,
  run(spec: LoadSpec): Promise<LoadResult> {
    const script = wrkScript(spec.request);
    const args = [
      '-t1',
      `-c${spec.connections}`,
      `-d${Math.max(1, Math.round(spec.seconds))}s`, // wrk takes whole seconds
      '--timeout',
      '10s',
      '-s',
      script,
      `http://127.0.0.1:${spec.port}${spec.request.path}`,
    ];
    return new Promise((resolve, reject) => {
      execFile('wrk', args, { encoding: 'utf8', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('BENCHJSON '));
        if (!line) {
          reject(new Error(`wrk failed: ${error?.message ?? ''}\n${stdout}\n${stderr}`));
          return;
        }
        const r = JSON.parse(line.slice('BENCHJSON '.length)) as Record<string, number>;
        const seconds = (r.duration_us ?? 0) / 1e6;
        const requests = r.requests ?? 0;
        resolve({
          requests,
          seconds,
          rps: seconds > 0 ? requests / seconds : 0,
          p50Us: r.p50 ?? 0,
          p90Us: r.p90 ?? 0,
          p99Us: r.p99 ?? 0,
          errors: r.errors ?? 0,
        });
      });
    });
  },
});

export const nodeLoadgen: LoadGenerator = {
  name: 'node loadgen (undici Pool)',
  version: process.version,
  run(spec: LoadSpec): Promise<LoadResult> {
    const script = new URL('../procs/loadgen.mjs', import.meta.url).pathname;
    const arg = JSON.stringify({
      url: `http://127.0.0.1:${spec.port}${spec.request.path}`,
      connections: spec.connections,
      seconds: spec.seconds,
      body: spec.request.body,
      headers: spec.request.headers,
    });
    return new Promise((resolve, reject) => {
      execFile(process.execPath, [script, arg], { encoding: 'utf8', maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          const r = JSON.parse(line) as Record<string, number>;
          const requests = r.requests ?? 0;
          const seconds = r.seconds ?? 0;
          resolve({
            requests,
            seconds,
            rps: seconds > 0 ? requests / seconds : 0,
            p50Us: r.p50 ?? 0,
            p90Us: r.p90 ?? 0,
            p99Us: r.p99 ?? 0,
            errors: r.errors ?? 0,
          });
        } catch {
          reject(new Error(`loadgen failed: ${error?.message ?? ''}\n${stdout}\n${stderr}`));
        }
      });
    });
  },
};

/**
 * Warm-up from the orchestrator's own process (no process to spawn, fractions of a second): a
 * closed loop per connection for `seconds`, bodies read to the end.
 */
export async function warmUp(spec: LoadSpec): Promise<void> {
  const pool = new Pool(`http://127.0.0.1:${spec.port}`, { connections: spec.connections, pipelining: 1 });
  const deadline = performance.now() + spec.seconds * 1000;
  const { path, headers, body } = spec.request;
  const loop = async () => {
    while (performance.now() < deadline) {
      try {
        const response = await pool.request({ path, method: 'POST', headers, body });
        for await (const _chunk of response.body) {
          // read to the end
        }
      } catch {
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: spec.connections }, loop));
  } finally {
    await pool.close();
  }
}
