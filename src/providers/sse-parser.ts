import type { StreamEvent } from '../core/types.ts';
import { SseDecoder } from '../lib/sse.ts';
import type { SseEvent } from '../lib/sse-types.ts';
import type { StreamParser, StreamParserOptions } from './types.ts';

/** The format half of an SSE provider's stream parser: decoded events in, canonical events out. */
export interface SseEventParser {
  push(event: SseEvent): StreamEvent[];
  /** Called when the upstream body ends; throws a GatewayError when the stream was cut short. */
  end(): StreamEvent[];
}

/** SSE framing around an event parser: a StreamParser that takes the body's bytes. */
export function sseStreamParser(events: SseEventParser, options: StreamParserOptions = {}): StreamParser {
  const decoder =
    options.maxEventBytes === undefined ? new SseDecoder() : new SseDecoder({ maxFrameBytes: options.maxEventBytes });
  return {
    push(chunk: Buffer): StreamEvent[] {
      const out: StreamEvent[] = [];
      for (const sse of decoder.push(chunk)) for (const event of events.push(sse)) out.push(event);
      return out;
    },
    end(): StreamEvent[] {
      const out: StreamEvent[] = [];
      for (const sse of decoder.end()) for (const event of events.push(sse)) out.push(event);
      for (const event of events.end()) out.push(event);
      return out;
    },
  };
}
