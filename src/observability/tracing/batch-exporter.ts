import { setImmediate as yieldToRequests } from 'node:timers/promises';
import { encodeSpans, type InstrumentationScope, tracesBody } from './otlp-json.ts';
import type { SpanData } from './span-data.ts';

/** What the exporter needs of a logger. */
export interface ExportLogger {
  warn(details: object, message: string): void;
}

export interface BatchExporterOptions {
  /** Full OTLP/HTTP traces URL. */
  url: string;
  headers: Readonly<Record<string, string>>;
  resource: Readonly<Record<string, string>>;
  scope: InstrumentationScope;
  logger: ExportLogger;
  /** Spans held at most; past it new spans are dropped (and counted). */
  maxQueue?: number;
  /** Spans per export request; a full batch is sent at once. */
  maxBatch?: number;
  /** Queued spans are sent at least this often. */
  intervalMs?: number;
  /** One export request may take this long. */
  timeoutMs?: number;
}

export interface ExporterStats {
  exported: number;
  /** Dropped because the queue was full. */
  dropped: number;
  /** Lost in failed exports (network, collector refusal, partial success). */
  failed: number;
}

/** Spans encoded between two yields to the event loop: a full batch never blocks it in one piece. */
const ENCODE_SLICE = 64;
/** At most one warning per this long; the ones in between are counted into the next. */
const LOG_EVERY_MS = 60_000;

/**
 * Sends spans to an OTLP/HTTP collector in JSON, in batches, off the request path: `enqueue` only
 * pushes onto a bounded array. A failed export is logged (throttled) and its spans dropped; nothing
 * here can fail or slow a request.
 */
export class BatchExporter {
  private queue: SpanData[] = [];
  private readonly maxQueue: number;
  private readonly maxBatch: number;
  private readonly timeoutMs: number;
  private readonly timer: NodeJS.Timeout;
  private sending: Promise<void> | undefined;
  private lastWarningAt = Number.NEGATIVE_INFINITY;
  private silencedWarnings = 0;
  private closed = false;
  readonly stats: ExporterStats = { exported: 0, dropped: 0, failed: 0 };

  constructor(private readonly options: BatchExporterOptions) {
    this.maxQueue = options.maxQueue ?? 2048;
    this.maxBatch = options.maxBatch ?? 512;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.timer = setInterval(() => void this.flush(), options.intervalMs ?? 2000);
    this.timer.unref();
  }

  enqueue(spans: readonly SpanData[]): void {
    if (this.closed) return;
    const room = this.maxQueue - this.queue.length;
    if (room < spans.length) this.stats.dropped += spans.length - Math.max(0, room);
    for (let i = 0; i < Math.min(room, spans.length); i++) this.queue.push(spans[i] as SpanData);
    if (this.queue.length >= this.maxBatch && this.sending === undefined) void this.flush();
  }

  /** Sends everything queued; resolves when it was sent (or failed). */
  async flush(): Promise<void> {
    while (this.sending !== undefined) await this.sending;
    if (this.queue.length === 0) return;
    this.sending = this.sendQueued().finally(() => {
      this.sending = undefined;
    });
    await this.sending;
  }

  /** Stops the timer and sends what is queued (graceful shutdown), waiting at most `waitMs`. */
  async shutdown(waitMs = 3000): Promise<void> {
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    try {
      await Promise.race([this.flush(), timeout]);
    } finally {
      clearTimeout(timer);
      this.closed = true;
    }
  }

  private async sendQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.maxBatch);
      this.queue = this.queue.slice(batch.length);
      await this.send(batch);
    }
  }

  private async send(batch: SpanData[]): Promise<void> {
    const { url, headers, resource, scope } = this.options;
    const encoded: string[] = [];
    for (let start = 0; start < batch.length; start += ENCODE_SLICE) {
      if (start > 0) await yieldToRequests();
      encoded.push(encodeSpans(batch.slice(start, start + ENCODE_SLICE)));
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: tracesBody(resource, scope, encoded),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await response.text();
      if (!response.ok) {
        this.stats.failed += batch.length;
        this.warn({ status: response.status, spans: batch.length }, 'trace export refused by the collector');
        return;
      }
      const rejected = rejectedSpans(text);
      this.stats.exported += batch.length - rejected;
      if (rejected > 0) {
        this.stats.failed += rejected;
        this.warn({ rejected, spans: batch.length }, 'trace export: the collector rejected some spans');
      }
    } catch (error) {
      this.stats.failed += batch.length;
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
      this.warn({ reason, spans: batch.length }, 'trace export failed');
    }
  }

  private warn(details: object, message: string): void {
    const now = Date.now();
    if (now - this.lastWarningAt < LOG_EVERY_MS) {
      this.silencedWarnings++;
      return;
    }
    this.lastWarningAt = now;
    const { origin, pathname } = new URL(this.options.url);
    this.options.logger.warn(
      { ...details, collector: `${origin}${pathname}`, earlierFailuresNotLogged: this.silencedWarnings },
      message,
    );
    this.silencedWarnings = 0;
  }
}

/** `partialSuccess.rejectedSpans` of an OTLP JSON answer (0 when absent or not JSON). */
function rejectedSpans(body: string): number {
  if (body === '') return 0;
  try {
    const parsed = JSON.parse(body) as { partialSuccess?: { rejectedSpans?: string | number } };
    const rejected = Number(parsed.partialSuccess?.rejectedSpans ?? 0);
    return Number.isFinite(rejected) && rejected > 0 ? rejected : 0;
  } catch {
    return 0;
  }
}
