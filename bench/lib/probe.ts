/** One-connection probes from the orchestrator: a correctness check per route, and time to first token. */
import { Client } from 'undici';
import type { BenchRequest, Mode } from './matrix.ts';
import { percentile } from './stats.ts';

/** True for an SSE payload that carries answer text, in any of the protocols (OpenAI chat and Responses, Anthropic, Gemini). */
function carriesText(payload: string): boolean {
  if (payload === '[DONE]') return false;
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    return false;
  }
  if (typeof data !== 'object' || data === null) return false;
  const d = data as {
    type?: string;
    choices?: { delta?: { content?: unknown } }[];
    candidates?: { content?: { parts?: { text?: unknown }[] } }[];
  };
  if (d.type === 'content_block_delta' || d.type === 'response.output_text.delta') return true;
  const content = d.choices?.[0]?.delta?.content;
  if (typeof content === 'string' && content !== '') return true;
  return (d.candidates?.[0]?.content?.parts ?? []).some((part) => typeof part.text === 'string' && part.text !== '');
}

/** Scans SSE text for the first event that carries text; returns the offset after it or -1. */
class FirstTokenScanner {
  #text = '';
  #scanned = 0;

  push(chunk: string): boolean {
    this.#text += chunk;
    for (;;) {
      const rest = this.#text.slice(this.#scanned);
      const match = /\r?\n\r?\n/.exec(rest);
      if (!match) return false;
      const event = rest.slice(0, match.index);
      this.#scanned += match.index + match[0].length;
      const data = event
        .split(/\r?\n/)
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (carriesText(data)) return true;
    }
  }
}

export interface CheckResult {
  ok: boolean;
  detail: string;
}

/** Sends one request and checks the status and that the body looks like a complete answer. */
export async function checkOnce(port: number, request: BenchRequest, mode: Mode): Promise<CheckResult> {
  const client = new Client(`http://127.0.0.1:${port}`);
  try {
    const response = await client.request({
      path: request.path,
      method: 'POST',
      headers: request.headers,
      body: request.body,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const text = await response.body.text();
    const snippet = text.slice(0, 300).replace(/\s+/g, ' ');
    if (response.statusCode !== 200) return { ok: false, detail: `HTTP ${response.statusCode}: ${snippet}` };
    if (mode === 'json') {
      try {
        JSON.parse(text);
      } catch {
        return { ok: false, detail: `not JSON: ${snippet}` };
      }
      return { ok: true, detail: `${text.length} B` };
    }
    const scanner = new FirstTokenScanner();
    if (!scanner.push(text)) return { ok: false, detail: `no text event in stream: ${snippet}` };
    return { ok: true, detail: `${text.length} B` };
  } catch (error) {
    return { ok: false, detail: `request failed: ${(error as Error).message}` };
  } finally {
    await client.close();
  }
}

export interface TtftResult {
  samples: number;
  p50Us: number;
  p90Us: number;
}

async function oneTtft(client: Client, request: BenchRequest): Promise<number> {
  const start = performance.now();
  const response = await client.request({
    path: request.path,
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  const scanner = new FirstTokenScanner();
  let first: number | undefined;
  for await (const chunk of response.body) {
    if (first === undefined && scanner.push((chunk as Buffer).toString('utf8'))) first = performance.now();
  }
  if (response.statusCode !== 200 || first === undefined) {
    throw new Error(`HTTP ${response.statusCode}, first token seen: ${first !== undefined}`);
  }
  return (first - start) * 1000;
}

export interface TtftTarget {
  id: string;
  port: number;
  request: BenchRequest;
}

/**
 * Sequential streaming requests, one keep-alive connection per target; TTFT is from just before
 * the request is sent to the arrival of the first SSE event carrying text (the upstream pauses
 * right after it). Targets take turns in `rounds` rounds so that a burst of load on a shared
 * machine hits all of them alike.
 */
export async function probeTtft(
  targets: TtftTarget[],
  samples: number,
  rounds: number,
  warmup: number,
): Promise<Map<string, TtftResult | Error>> {
  const clients = targets.map((t) => new Client(`http://127.0.0.1:${t.port}`, { pipelining: 1 }));
  const times = targets.map((): number[] => []);
  const failed: (Error | undefined)[] = targets.map(() => undefined);
  const perRound = Math.max(1, Math.ceil(samples / rounds));
  const run = async (i: number, count: number, keep: boolean) => {
    const target = targets[i] as TtftTarget;
    for (let n = 0; n < count && failed[i] === undefined; n += 1) {
      try {
        const us = await oneTtft(clients[i] as Client, target.request);
        if (keep) times[i]?.push(us);
      } catch (error) {
        failed[i] = error as Error;
      }
    }
  };
  try {
    for (let i = 0; i < targets.length; i += 1) await run(i, warmup, false);
    for (let round = 0; round < rounds; round += 1) {
      for (let i = 0; i < targets.length; i += 1) await run(i, perRound, true);
    }
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
  const out = new Map<string, TtftResult | Error>();
  targets.forEach((target, i) => {
    const list = times[i] ?? [];
    out.set(target.id, failed[i] ?? { samples: list.length, p50Us: percentile(list, 50), p90Us: percentile(list, 90) });
  });
  return out;
}
