/** What a provider adapter asks `upstream/` to send. Pure data: adapters do no I/O. */
export interface UpstreamRequest {
  method: 'POST' | 'GET';
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

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Body chunks; iterate once. Timeouts and aborts surface as a thrown GatewayError. */
  body: AsyncIterable<Buffer>;
  /** Reads the whole body as text (for errors and non-streaming responses). */
  text(): Promise<string>;
  /** Releases the connection without reading the rest. */
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
