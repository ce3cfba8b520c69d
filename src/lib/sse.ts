/**
 * Server-sent events: byte-level framing, frame decoding and encoding (WHATWG SSE).
 *
 * The framer is the proxy hot path: it only scans bytes with Buffer.indexOf, never converts to
 * strings, never rescans bytes it has already looked at, and returns frames that are the exact
 * input bytes (zero-copy `subarray` when a frame lies inside one chunk).
 */
import { FrameTooLargeError } from './frame-too-large.ts';
import type { SseEvent } from './sse-types.ts';

const LF = 0x0a;
const CR = 0x0d;
const BOM = '\uFEFF';

/** Default bound on one frame (an upstream that never ends a line must not grow memory without limit). */
export const DEFAULT_MAX_SSE_FRAME_BYTES = 8 * 1024 * 1024;

/** A frame (or a frame still unfinished) grew past the framer's limit. */
export class SseFrameTooLargeError extends FrameTooLargeError {
  constructor(limitBytes: number) {
    super(limitBytes, 'server-sent event');
    this.name = 'SseFrameTooLargeError';
  }
}

export interface SseFramerOptions {
  /** Most bytes one frame may have, its line endings included. Default 8 MiB. */
  maxFrameBytes?: number;
}

/**
 * Splits a byte stream into raw event frames. A frame ends with an empty line; lines end with
 * LF, CRLF or CR. Concatenating every frame from `push` plus the remainder from `end` gives back
 * the input byte for byte.
 *
 * One deliberate latency choice: when a chunk ends with the CR that ends an event, the frame is
 * returned at once rather than waiting to see whether an LF follows. If the next chunk then starts
 * with that LF, it is taken as the second half of the CRLF (not as an empty line) and is carried
 * at the start of the next frame, where decoders see it as nothing.
 */
export class SseFramer {
  /** Bytes of the current, unfinished frame from earlier chunks. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  readonly #maxFrameBytes: number;
  /** The last byte scanned ended a line, so the next terminator would end an empty line. */
  #atLineStart = true;
  /** The last byte scanned was a CR, so an LF at the start of the next chunk completes it. */
  #afterCr = false;

  constructor(options: SseFramerOptions = {}) {
    this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_SSE_FRAME_BYTES;
  }

  /** Complete frames in `chunk` (with the pending bytes before it). Throws SseFrameTooLargeError past the limit. */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    const length = chunk.length;
    if (length === 0) return frames;

    let position = 0;
    if (this.#afterCr) {
      this.#afterCr = false;
      if (chunk[0] === LF) position = 1;
    }
    let atLineStart = this.#atLineStart;
    let frameStart = 0;
    // Next LF / CR at or after `position`; `length` when there is none. Cached so that a chunk
    // without CRs (the usual case) is searched for CR once, not once per line.
    let nextLf = -1;
    let nextCr = -1;

    while (position < length) {
      if (nextLf < position) {
        nextLf = chunk.indexOf(LF, position);
        if (nextLf === -1) nextLf = length;
      }
      if (nextCr < position) {
        nextCr = chunk.indexOf(CR, position);
        if (nextCr === -1) nextCr = length;
      }
      const terminator = Math.min(nextLf, nextCr);
      if (terminator === length) {
        atLineStart = false;
        break;
      }
      const emptyLine = atLineStart && terminator === position;
      if (terminator === nextCr) {
        if (terminator + 1 === length) {
          this.#afterCr = true;
          position = length;
        } else {
          position = chunk[terminator + 1] === LF ? terminator + 2 : terminator + 1;
        }
      } else {
        position = terminator + 1;
      }
      atLineStart = true;
      if (emptyLine) {
        frames.push(this.#takeFrame(chunk, frameStart, position));
        frameStart = position;
      }
    }

    this.#atLineStart = atLineStart;
    if (frameStart < length) {
      this.#pending.push(frameStart === 0 ? chunk : chunk.subarray(frameStart));
      this.#pendingBytes += length - frameStart;
      this.#checkSize(this.#pendingBytes);
    }
    return frames;
  }

  /** Returns the trailing bytes that never got their blank line (null when there are none). */
  end(): Buffer | null {
    const pending = this.#pending;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#atLineStart = true;
    this.#afterCr = false;
    if (pending.length === 0) return null;
    return pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending);
  }

  #takeFrame(chunk: Buffer, start: number, end: number): Buffer {
    if (this.#pending.length === 0) {
      this.#checkSize(end - start);
      return chunk.subarray(start, end);
    }
    // A frame spanning chunks always starts in the pending bytes, so `start` is 0 here.
    this.#checkSize(this.#pendingBytes + end);
    const parts = this.#pending;
    parts.push(chunk.subarray(0, end));
    this.#pending = [];
    this.#pendingBytes = 0;
    return Buffer.concat(parts);
  }

  #checkSize(bytes: number): void {
    if (bytes <= this.#maxFrameBytes) return;
    this.#pending = [];
    this.#pendingBytes = 0;
    throw new SseFrameTooLargeError(this.#maxFrameBytes);
  }
}

/**
 * Decodes one frame. Handles `data:` (lines joined with "\n"), `event:`, `id:`, comments, the
 * optional single space after the colon, a leading BOM, and ignores `retry:` and unknown fields.
 * Returns null for frames with neither data nor event (comments, keep-alives, blank lines).
 *
 * Robustness: a frame with no recognised field whose text starts with `{` or `[` (an upstream
 * writing a bare JSON error into the stream) is returned as `{ event: undefined, data: text }`.
 */
export function decodeSseFrame(frame: Buffer | string): SseEvent | null {
  const text = typeof frame === 'string' ? frame : frame.toString('utf8');
  const length = text.length;
  let position = text.startsWith(BOM) ? 1 : 0;
  let event: string | undefined;
  let data: string | undefined;
  let id: string | undefined;
  let recognised = false;
  let sawLine = false;
  let nextLf = -1;
  let nextCr = -1;
  let nextColon = -1;

  while (position < length) {
    if (nextLf < position) {
      nextLf = text.indexOf('\n', position);
      if (nextLf === -1) nextLf = length;
    }
    if (nextCr < position) {
      nextCr = text.indexOf('\r', position);
      if (nextCr === -1) nextCr = length;
    }
    const lineEnd = Math.min(nextLf, nextCr);
    const next = lineEnd === nextCr && text.charCodeAt(lineEnd + 1) === LF ? lineEnd + 2 : lineEnd + 1;

    if (lineEnd === position) {
      // Empty line: ends the event once it has started; leading ones are skipped.
      if (sawLine) break;
      position = next;
      continue;
    }
    sawLine = true;
    if (nextColon < position) {
      nextColon = text.indexOf(':', position);
      if (nextColon === -1) nextColon = length;
    }
    if (nextColon === position) {
      position = next; // comment
      continue;
    }
    const hasColon = nextColon < lineEnd;
    const fieldEnd = hasColon ? nextColon : lineEnd;
    let valueStart = hasColon ? nextColon + 1 : lineEnd;
    if (valueStart < lineEnd && text.charCodeAt(valueStart) === 0x20) valueStart += 1;

    switch (text.slice(position, fieldEnd)) {
      case 'data': {
        const value = text.slice(valueStart, lineEnd);
        data = data === undefined ? value : `${data}\n${value}`;
        recognised = true;
        break;
      }
      case 'event':
        event = text.slice(valueStart, lineEnd);
        recognised = true;
        break;
      case 'id': {
        const value = text.slice(valueStart, lineEnd);
        if (!value.includes('\0')) id = value;
        recognised = true;
        break;
      }
      case 'retry':
        recognised = true;
        break;
      default:
        break;
    }
    position = next;
  }

  if (!recognised) {
    const trimmed = text.trim();
    const first = trimmed.charCodeAt(0);
    if (first === 0x7b || first === 0x5b) return { event: undefined, data: trimmed };
    return null;
  }
  if (event === '') event = undefined; // an empty event type means the default ("message")
  if (data === undefined && event === undefined) return null;
  const result: SseEvent = { event, data: data ?? '' };
  if (id !== undefined) result.id = id;
  return result;
}

/** Framer and decoder in one: bytes in, events out. */
export class SseDecoder {
  readonly #framer: SseFramer;

  constructor(options: SseFramerOptions = {}) {
    this.#framer = new SseFramer(options);
  }

  /** Events completed by `chunk`. Throws SseFrameTooLargeError past the frame limit. */
  push(chunk: Buffer): SseEvent[] {
    const frames = this.#framer.push(chunk);
    const events: SseEvent[] = [];
    for (const frame of frames) {
      const event = decodeSseFrame(frame);
      if (event !== null) events.push(event);
    }
    return events;
  }

  /** Decodes a trailing frame that the upstream closed without its blank line. */
  end(): SseEvent[] {
    const rest = this.#framer.end();
    if (rest === null) return [];
    const event = decodeSseFrame(rest);
    return event === null ? [] : [event];
  }
}

const LINE_BREAK = /\r\n|\r|\n/;

function dataLines(data: string): string {
  if (!data.includes('\n') && !data.includes('\r')) return `data: ${data}\n`;
  let out = '';
  for (const line of data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return out;
}

/** `data: X\n\n`; a multi-line payload becomes one `data:` line per line. */
export function encodeSseData(data: string): string {
  return `${dataLines(data)}\n`;
}

/** `event: E\ndata: X\n\n`. Line breaks in the event name are dropped (they would end the field). */
export function encodeSseEvent(event: string, data: string): string {
  const name = event.includes('\n') || event.includes('\r') ? event.replace(/[\r\n]/g, '') : event;
  return `event: ${name}\n${dataLines(data)}\n`;
}
