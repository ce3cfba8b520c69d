/** What a provider adapter asks `upstream/` to send. Pure data: adapters do no I/O. */
export interface UpstreamRequest {
  method: 'POST' | 'GET' | 'DELETE';
  /** Absolute http(s) URL. */
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface UpstreamTimeouts {
  /** TCP/TLS connect. */
  connectMs: number;
  /** From request sent to response headers. */
  firstByteMs: number;
  /** Longest silence between two body chunks. */
  idleMs: number;
  /** Whole exchange, body included. */
  totalMs: number;
}

/** How much of an upstream body llmux holds in memory at once. */
export interface UpstreamLimits {
  /** A whole non-streaming response body. */
  maxResponseBytes: number;
  /** One server-sent event (or an unfinished line) of a streaming response. */
  maxEventBytes: number;
  /** The part of an error body read for its message; the rest is not read. */
  maxErrorBodyBytes: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_UPSTREAM_LIMITS: Readonly<UpstreamLimits> = Object.freeze({
  maxResponseBytes: 64 * MIB,
  maxEventBytes: 8 * MIB,
  maxErrorBodyBytes: 8 * MIB,
});

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Body chunks; iterate once. Timeouts and aborts surface as a thrown GatewayError. */
  body: AsyncIterable<Buffer>;
  /** The caps the readers of this body apply (set by the transport). */
  limits: Readonly<UpstreamLimits>;
  /**
   * Reads an error body as text: at most `limits.maxErrorBodyBytes`, then the rest is dropped
   * and the connection released (the prefix may then not parse).
   */
  text(): Promise<string>;
  /** Releases the connection without reading the rest. Safe to call at any time, more than once. */
  discard(): void;
}

export interface SendOptions {
  signal: AbortSignal;
  timeouts: UpstreamTimeouts;
}

/** Sends an upstream request. The undici implementation pools connections per origin. */
export interface Transport {
  send(request: UpstreamRequest, options: SendOptions): Promise<UpstreamResponse>;
  close(): Promise<void>;
}
