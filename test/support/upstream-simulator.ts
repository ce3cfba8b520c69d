/**
 * A local upstream (OpenAI / Anthropic / Gemini stand-in): a real HTTP server on 127.0.0.1 that plays
 * responses scripted per test, records every request it received and notices when clients go away.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { tryParseJson } from './json-guards.ts';
import { playStep, type Step, type StepContext } from './simulator-steps.ts';

export type { Step } from './simulator-steps.ts';

export interface SimRequest {
  method: string;
  /** Path including the query string, e.g. `/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when empty or not JSON. */
  json: unknown;
  /** True when the client went away before the simulator finished writing the response. */
  closedEarly: boolean;
  /** True once the response is over (finished, aborted by the client, or destroyed by the simulator). */
  responseClosed: boolean;
}

export type StepSource = Step | ((req: SimRequest) => Step);

export interface SimulatorOptions {
  /** Used when the queue is empty and no route matches (default: 500 JSON "no scripted response"). */
  default?: StepSource;
}

export interface Simulator {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Every request received (body fully read), in order. */
  requests: SimRequest[];
  /** FIFO script for subsequent requests. */
  enqueue(...steps: Step[]): void;
  /** Step used when the queue is empty and no route matches. */
  setDefault(step: StepSource): void;
  /** Per-path override (longest matching prefix wins; takes precedence over the queue). */
  route(pathPrefix: string, handler: (req: SimRequest) => Step): void;
  /** Requests whose response is not over yet. */
  inFlight(): number;
  /** Scripted steps not consumed yet. */
  pendingSteps(): number;
  /** Resolves once `count` requests have been received (rejects after timeoutMs). */
  waitForRequests(count: number, timeoutMs?: number): Promise<SimRequest[]>;
  /** Resolves once the response to request `index` (default: the latest) is over (rejects after timeoutMs). */
  waitForClose(index?: number, timeoutMs?: number): Promise<SimRequest>;
  /** Forgets requests, queue, routes and default. */
  reset(): void;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/** Pause before a mid-stream RST so the client has read the frames written before it. */
const resetSettleMs = 30;

const noScriptedResponse = (req: SimRequest): Step => ({
  kind: 'json',
  status: 500,
  body: { error: { message: `no scripted response for ${req.method} ${req.path}`, type: 'simulator_error' } },
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (): void => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', done);
    req.on('error', done);
    req.on('close', done);
  });
}

export async function startUpstreamSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const requests: SimRequest[] = [];
  const queue: Step[] = [];
  const routes: Array<{ prefix: string; handler: (req: SimRequest) => Step }> = [];
  let fallback: StepSource = options.default ?? noScriptedResponse;
  let active = 0;
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const pickStep = (req: SimRequest): Step => {
    const route = routes
      .filter((candidate) => req.path.startsWith(candidate.prefix))
      .sort((a, b) => b.prefix.length - a.prefix.length)[0];
    if (route) return route.handler(req);
    const next = queue.shift();
    if (next) return next;
    return typeof fallback === 'function' ? fallback(req) : fallback;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    active += 1;
    const record: SimRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: '',
      json: undefined,
      closedEarly: false,
      responseClosed: false,
    };
    let abortedByServer = false;
    const closeCallbacks = new Set<() => void>();
    res.on('error', () => {});
    res.on('close', () => {
      if (!res.writableFinished && !abortedByServer) record.closedEarly = true;
      record.responseClosed = true;
      active -= 1;
      for (const callback of closeCallbacks) callback();
      notify();
    });

    record.body = await readBody(req);
    record.json = tryParseJson(record.body);
    requests.push(record);
    notify();
    if (record.responseClosed) return;

    const socket: Socket = req.socket;
    const ctx: StepContext = {
      res,
      wait: (ms) =>
        new Promise<boolean>((resolve) => {
          if (record.responseClosed) return resolve(false);
          const onClose = (): void => {
            if (timer) clearTimeout(timer);
            resolve(false);
          };
          const timer = Number.isFinite(ms)
            ? setTimeout(
                () => {
                  closeCallbacks.delete(onClose);
                  resolve(true);
                },
                Math.max(0, ms),
              )
            : undefined;
          closeCallbacks.add(onClose);
        }),
      abortConnection: async (mode) => {
        abortedByServer = true;
        // destroy() drops unflushed writes, and an RST makes the peer drop bytes it has not read yet: let what
        // was written reach the client first.
        if (res.headersSent) {
          for (let waited = 0; socket.writableLength > 0 && waited < 1000; waited += 5) await sleep(5);
          if (mode === 'reset') await sleep(resetSettleMs);
        }
        if (socket.destroyed) return;
        if (mode === 'reset') socket.resetAndDestroy();
        else socket.destroy();
      },
    };
    try {
      await playStep(pickStep(record), ctx);
    } catch (error) {
      // A throwing route/default handler or a bad step: say so when still possible, instead of a bare reset.
      if (res.headersSent || res.destroyed) return ctx.abortConnection('reset');
      const message = `upstream simulator: step failed: ${error instanceof Error ? error.message : String(error)}`;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message, type: 'simulator_error' } }));
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const waitUntil = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const attempt = (): boolean => {
        const value = check();
        if (value === undefined) return false;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(value);
        return true;
      };
      const listener = (): void => void attempt();
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`upstream simulator: timed out after ${timeoutMs}ms waiting for ${what}`));
      }, timeoutMs);
      if (!attempt()) listeners.add(listener);
    });

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...steps) => void queue.push(...steps),
    setDefault: (step) => {
      fallback = step;
    },
    route: (prefix, handler) => void routes.push({ prefix, handler }),
    inFlight: () => active,
    pendingSteps: () => queue.length,
    waitForRequests: (count, timeoutMs = 2000) =>
      waitUntil(() => (requests.length >= count ? requests : undefined), timeoutMs, `${count} request(s)`),
    waitForClose: (index, timeoutMs = 2000) =>
      waitUntil(
        () => {
          const record = requests[index ?? requests.length - 1];
          return record?.responseClosed ? record : undefined;
        },
        timeoutMs,
        `response ${index ?? 'latest'} to close`,
      ),
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      routes.length = 0;
      fallback = options.default ?? noScriptedResponse;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
