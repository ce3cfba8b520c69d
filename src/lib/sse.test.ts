import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { fixturesRoot } from '../../test/support/fixture-paths.ts';
import { decodeSseFrame, encodeSseData, encodeSseEvent, SseDecoder, SseFramer, SseFrameTooLargeError } from './sse.ts';
import type { SseEvent } from './sse-types.ts';

const FIXTURES = pathToFileURL(fixturesRoot);

interface Fixture {
  name: string;
  family: 'openai' | 'anthropic' | 'gemini';
  bytes: Buffer;
  /** Event count, counted by hand from the file (data:/event: lines, plus any bare JSON body). */
  count: number;
}

/** Hand-counted event totals (grep -c '^data:' / '^event:'); keys are paths under fixtures/. */
const EXPECTED_COUNTS: Record<string, number> = {
  'openai/openai-python/173417d553406f034f643e5db3f8d591fb691ebac56f5ae39a22cc7d455c5353.bin': 14,
  'openai/openai-python/2018feb66ae13fcf5333d61b95849decc68d3f63bd38172889367e1afb1e04f7.bin': 11,
  'openai/openai-python/4cc50a6135d254573a502310e6af1246f55edb6ad95fa24059f160996b68866d.bin': 5,
  'openai/openai-python/569c877e69429d4cbc1577d2cd6dd33878095c68badc6b6654a69769b391a1c1.bin': 15,
  'openai/openai-python/83b060bae42eb41c4f1edbb7c1542b954b37d9dfd1910b964ddebc9677e6ae85.bin': 6,
  'openai/openai-python/a491adda08c3d4fde95f5b2ee3f60f7f745f1a56d82e62f58031cc2add502380.bin': 50,
  'openai/openai-python/d615580118391ee13492193e3a8bb74642d23ac1ca13fe37cb6e889b66f759f6.bin': 181,
  'openai/openai-python/e2aad469b71d1d4894ff833ea147020a9d875eb7ce644a0ff355581690a4cbfd.bin': 34,
  'openai/openai-python/f82268f2fefd5cfbc7eeb59c297688be2f6ca0849a6e4f17851b517310841d9b.bin': 26,
  'derived-sse/anthropic__test_anthropic_model_thinking_part_redacted_stream.interaction0.sse': 27,
  'derived-sse/anthropic__test_anthropic_model_thinking_part_stream.interaction0.sse': 118,
  'derived-sse/anthropic__test_request_stream_fallback_for_high_max_tokens.interaction0.sse': 7,
  'derived-sse/gemini__test_google_model_stream.interaction0.sse': 3,
  'derived-sse/gemini__test_google_stream_usage_is_live_mid_stream.interaction0.sse': 3,
  'derived-sse/gemini__test_google_streaming_tool_call_thought_signature.interaction0.sse': 2,
  'derived-sse/gemini__test_google_streaming_tool_call_thought_signature.interaction1.sse': 3,
  'derived-sse/openai__StreamingStructuredRefusalWorks.entry0.sse': 14,
  'derived-sse/openai__TokenLogProbabilitiesStreaming(True).entry0.sse': 833,
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-failure-prompt-blocked-safety.txt': 1,
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-failure-recitation-no-content.txt': 9,
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-basic-reply-long.txt': 36,
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-basic-reply-short.txt': 3,
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-citations.txt': 26,
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-finish-message.txt': 2,
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-thinking-function-call-thought-summary-signature.txt': 3,
  'gemini/firebase-vertexai-sdk-test-data/googleai/streaming-success-thinking-reply-thought-summary.txt': 5,
  // Two data: events, then a bare (no data: prefix) JSON error object.
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-failure-error-mid-stream.txt': 3,
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-failure-finish-reason-safety.txt': 1,
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-failure-prompt-blocked-safety-with-message.txt': 1,
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-success-basic-reply-short.txt': 1,
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-success-function-call-short.txt': 1,
  'gemini/firebase-vertexai-sdk-test-data/vertexai/streaming-success-utf8.txt': 4,
};

function listFixtures(): Fixture[] {
  const paths: string[] = [];
  const add = (dir: string, keep: (file: string) => boolean): void => {
    for (const file of readdirSync(new URL(dir, FIXTURES)).sort()) {
      if (keep(file)) paths.push(`${dir}${file}`);
    }
  };
  add('openai/openai-python/', (file) => file.endsWith('.bin'));
  add('derived-sse/', () => true);
  for (const flavour of ['googleai', 'vertexai']) {
    add(`gemini/firebase-vertexai-sdk-test-data/${flavour}/`, (file) => /^streaming-.*\.txt$/.test(file));
  }
  return paths.map((path) => {
    const count = EXPECTED_COUNTS[path];
    assert.ok(count !== undefined, `no expected event count for fixture ${path}`);
    const base = path.slice(path.lastIndexOf('/') + 1);
    const family =
      path.startsWith('gemini/') || base.startsWith('gemini__')
        ? 'gemini'
        : base.startsWith('anthropic__')
          ? 'anthropic'
          : 'openai';
    return { name: path, family, bytes: readFileSync(new URL(path, FIXTURES)), count };
  });
}

// ---------------------------------------------------------------------------------------------
// An independent, deliberately naive reference (regex + strings) to check the byte-level code.

/** Byte ranges of frames: a frame ends after an empty line; the rest is a trailing frame. */
function referenceFrames(bytes: Buffer): Array<[number, number]> {
  const text = bytes.toString('latin1'); // one char per byte, so offsets are byte offsets
  const frames: Array<[number, number]> = [];
  let start = 0;
  for (const match of text.matchAll(/[^\r\n]*(?:\r\n|\r|\n)/g)) {
    const end = (match.index ?? 0) + match[0].length;
    if (/^(?:\r\n|\r|\n)$/.test(match[0])) {
      frames.push([start, end]);
      start = end;
    }
  }
  if (start < text.length) frames.push([start, text.length]);
  return frames;
}

function referenceEvent(frame: Buffer): SseEvent | null {
  const text = frame.toString('utf8').replace(/^\uFEFF/, '');
  let event = '';
  let id: string | undefined;
  const dataLines: string[] = [];
  let recognised = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') dataLines.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
    else if (field !== 'retry') continue;
    recognised = true;
  }
  if (!recognised) {
    const trimmed = text.trim();
    return /^[[{]/.test(trimmed) ? { event: undefined, data: trimmed } : null;
  }
  if (dataLines.length === 0 && event === '') return null;
  const result: SseEvent = { event: event === '' ? undefined : event, data: dataLines.join('\n') };
  if (id !== undefined) result.id = id;
  return result;
}

function referenceEvents(bytes: Buffer): SseEvent[] {
  const events: SseEvent[] = [];
  for (const [start, end] of referenceFrames(bytes)) {
    const event = referenceEvent(bytes.subarray(start, end));
    if (event !== null) events.push(event);
  }
  return events;
}

// ---------------------------------------------------------------------------------------------

/** Compact, order-sensitive rendering of an event list, so comparisons are one string compare. */
function signature(events: readonly SseEvent[]): string {
  let out = '';
  for (const event of events) out += `${event.event ?? '\u0001'}\u0000${event.id ?? '\u0001'}\u0000${event.data}\u0002`;
  return out;
}

interface RunResult {
  events: SseEvent[];
  joined: Buffer;
  /** Frame lengths, with an LF carried over after a chunk-final CR given back to its frame. */
  layout: string;
}

function layoutOf(frames: readonly Buffer[]): string {
  const lengths: number[] = [];
  let previous: Buffer | undefined;
  for (const frame of frames) {
    let length = frame.length;
    if (previous !== undefined && frame[0] === 0x0a && previous.at(-1) === 0x0d) {
      lengths[lengths.length - 1] = (lengths.at(-1) ?? 0) + 1;
      length -= 1;
    }
    if (length > 0) lengths.push(length);
    previous = frame;
  }
  return lengths.join(',');
}

function referenceLayout(bytes: Buffer): string {
  return referenceFrames(bytes)
    .map(([start, end]) => end - start)
    .join(',');
}

function sameResult(result: RunResult, bytes: Buffer, events: string, layout: string): boolean {
  return signature(result.events) === events && result.layout === layout && result.joined.equals(bytes);
}

/** Feeds `chunks` through a framer and a decoder side by side. */
function run(chunks: readonly Buffer[]): RunResult {
  const framer = new SseFramer();
  const decoder = new SseDecoder();
  const frames: Buffer[] = [];
  const events: SseEvent[] = [];
  for (const chunk of chunks) {
    frames.push(...framer.push(chunk));
    events.push(...decoder.push(chunk));
  }
  const rest = framer.end();
  if (rest !== null) frames.push(rest);
  events.push(...decoder.end());
  return { events, joined: Buffer.concat(frames), layout: layoutOf(frames) };
}

/** Framer only, frames decoded one by one (what SseDecoder does, without running it twice). */
function runFramed(chunks: readonly Buffer[]): RunResult {
  const framer = new SseFramer();
  const frames: Buffer[] = [];
  for (const chunk of chunks) frames.push(...framer.push(chunk));
  const rest = framer.end();
  if (rest !== null) frames.push(rest);
  const events: SseEvent[] = [];
  for (const frame of frames) {
    const event = decodeSseFrame(frame);
    if (event !== null) events.push(event);
  }
  return { events, joined: Buffer.concat(frames), layout: layoutOf(frames) };
}

function splitAt(bytes: Buffer, ...cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    chunks.push(bytes.subarray(start, cut));
    start = cut;
  }
  return chunks;
}

/** mulberry32: small deterministic PRNG so "random" chunkings are reproducible. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomChunks(bytes: Buffer, seed: number, maxSize: number): Buffer[] {
  const random = prng(seed);
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; ) {
    const size = 1 + Math.floor(random() * maxSize);
    chunks.push(bytes.subarray(start, start + size));
    start += size;
  }
  return chunks;
}

function checkFamily(fixture: Fixture, events: readonly SseEvent[]): void {
  const first = events[0];
  const last = events.at(-1);
  assert.ok(first !== undefined && last !== undefined);
  for (const event of events) {
    if (event.data !== '[DONE]') assert.doesNotThrow(() => JSON.parse(event.data), event.data);
  }
  if (fixture.family === 'openai') {
    assert.equal(last.data, '[DONE]');
    assert.equal(JSON.parse(first.data).object, 'chat.completion.chunk');
    assert.ok(events.every((event) => event.event === undefined));
    assert.equal(events.filter((event) => event.data === '[DONE]').length, 1);
  } else if (fixture.family === 'anthropic') {
    assert.equal(first.event, 'message_start');
    assert.equal(last.event, 'message_stop');
    for (const event of events) assert.equal(JSON.parse(event.data).type, event.event);
  } else if (fixture.name.endsWith('streaming-failure-error-mid-stream.txt')) {
    assert.equal(JSON.parse(last.data).error.code, 499);
    assert.equal(JSON.parse(first.data).candidates[0].content.parts[0].text, 'First ');
  } else {
    const lastBody = JSON.parse(last.data);
    assert.ok('candidates' in lastBody || 'promptFeedback' in lastBody, last.data);
    assert.ok('candidates' in JSON.parse(first.data) || 'promptFeedback' in JSON.parse(first.data));
  }
}

describe('SSE decoding of every recorded stream', () => {
  const fixtures = listFixtures();

  it('finds all the recorded streams', () => {
    assert.equal(fixtures.length, Object.keys(EXPECTED_COUNTS).length);
  });

  for (const fixture of fixtures) {
    describe(fixture.name, () => {
      const { bytes } = fixture;
      const expected = referenceEvents(bytes);
      const expectedSignature = signature(expected);
      const expectedLayout = referenceLayout(bytes);

      it('one push: counts, payloads and exact frames', () => {
        const framer = new SseFramer();
        const frames = framer.push(bytes);
        const rest = framer.end();
        const reference = referenceFrames(bytes).map(([start, end]) => bytes.subarray(start, end));
        assert.deepEqual([...frames, ...(rest === null ? [] : [rest])], reference);

        const { events, joined } = run([bytes]);
        assert.equal(events.length, fixture.count);
        assert.deepEqual(events, expected);
        assert.ok(joined.equals(bytes));
        checkFamily(fixture, events);
      });

      it('two pushes, split at every byte boundary', () => {
        // A split only affects the frame it falls in (between frames the framer is always in its
        // initial state), so each cut is checked on that frame plus the next one. Linear in size.
        const frames = referenceFrames(bytes);
        for (let index = 0; index < frames.length; index += 1) {
          const [frameStart, frameEnd] = frames[index] ?? [0, 0];
          const window = bytes.subarray(frameStart, frames[index + 1]?.[1] ?? frameEnd);
          const windowSignature = signature(referenceEvents(window));
          const windowLayout = referenceLayout(window);
          for (let cut = 1; cut <= frameEnd - frameStart; cut += 1) {
            const result = runFramed(splitAt(window, cut));
            if (!sameResult(result, window, windowSignature, windowLayout)) {
              assert.fail(`split at byte ${frameStart + cut} of ${bytes.length} changed the result`);
            }
          }
        }
        // The whole stream too: every boundary for small files, a spread for big ones.
        const cuts = Math.min(bytes.length + 1, Math.ceil(20_000_000 / bytes.length));
        const step = (bytes.length + 1) / cuts;
        for (let index = 0; index < cuts; index += 1) {
          const cut = Math.floor(index * step);
          const result = run(splitAt(bytes, cut));
          if (!sameResult(result, bytes, expectedSignature, expectedLayout)) {
            assert.fail(`split at byte ${cut} of ${bytes.length} changed the result`);
          }
        }
      });

      it('one byte at a time', () => {
        const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
        const result = run(chunks);
        assert.equal(signature(result.events), expectedSignature);
        assert.equal(result.layout, expectedLayout);
        assert.ok(result.joined.equals(bytes));
      });

      it('random chunk sizes (fixed seeds)', () => {
        for (const [seed, maxSize] of [
          [1, 7],
          [2, 64],
          [3, 1500],
          [4, 16384],
        ] as const) {
          const result = run(randomChunks(bytes, seed, maxSize));
          assert.equal(signature(result.events), expectedSignature, `seed ${seed}`);
          assert.equal(result.layout, expectedLayout, `seed ${seed}`);
          assert.ok(result.joined.equals(bytes), `seed ${seed}`);
        }
      });
    });
  }
});

function decodeAll(text: string | Buffer, chunking: 'whole' | 'bytes' = 'whole'): SseEvent[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks =
    chunking === 'whole' ? [bytes] : Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
  return run(chunks).events;
}

describe('SSE edge cases', () => {
  it('ignores comments and keep-alives', () => {
    assert.deepEqual(decodeAll(': keep-alive\n\n:\n\ndata: x\n: note\n\n'), [{ event: undefined, data: 'x' }]);
    assert.equal(decodeSseFrame(': ping\n\n'), null);
    assert.equal(decodeSseFrame('\n'), null);
  });

  it('joins multi-line data with \\n and keeps one leading space only', () => {
    for (const chunking of ['whole', 'bytes'] as const) {
      assert.deepEqual(decodeAll('data: a\ndata:b\ndata:  c\ndata\n\n', chunking), [
        { event: undefined, data: 'a\nb\n c\n' },
      ]);
    }
  });

  it('reads event and id, ignores retry and unknown fields', () => {
    assert.deepEqual(decodeAll('event: delta\nid: 7\nretry: 1000\nfoo: bar\ndata: {}\n\n'), [
      { event: 'delta', data: '{}', id: '7' },
    ]);
    assert.deepEqual(decodeAll('retry: 10\n\nid: 3\n\n'), []);
    assert.deepEqual(decodeSseFrame('event: ping\n\n'), { event: 'ping', data: '' });
    assert.equal(decodeSseFrame('event:\n\n'), null);
    assert.deepEqual(decodeSseFrame('id: a\0b\ndata: x\n\n'), { event: undefined, data: 'x' });
  });

  it('skips a UTF-8 BOM at stream start, even split across chunks', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('data: é\n\n')]);
    assert.deepEqual(decodeAll(bytes), [{ event: undefined, data: 'é' }]);
    assert.deepEqual(decodeAll(bytes, 'bytes'), [{ event: undefined, data: 'é' }]);
  });

  it('accepts CR-only and mixed line endings', () => {
    const text = 'data: a\r\rdata: b\r\n\r\ndata: c\n\nevent: e\rdata: d\r\n\n';
    const expected = [
      { event: undefined, data: 'a' },
      { event: undefined, data: 'b' },
      { event: undefined, data: 'c' },
      { event: 'e', data: 'd' },
    ];
    assert.deepEqual(decodeAll(text), expected);
    assert.deepEqual(decodeAll(text, 'bytes'), expected);
    const framer = new SseFramer();
    assert.deepEqual(
      framer.push(Buffer.from(text)).map((frame) => frame.toString()),
      ['data: a\r\r', 'data: b\r\n\r\n', 'data: c\n\n', 'event: e\rdata: d\r\n\n'],
    );
  });

  it('treats CR at the end of a chunk and LF at the start of the next as one line ending', () => {
    // Were the LF a line of its own, "data: a\r" + "\n" would end the event early.
    const decoder = new SseDecoder();
    assert.deepEqual(decoder.push(Buffer.from('data: a\r')), []);
    assert.deepEqual(decoder.push(Buffer.from('\ndata: b\r\n')), []);
    assert.deepEqual(decoder.push(Buffer.from('\r')), [{ event: undefined, data: 'a\nb' }]);
    // The LF completing that CRLF arrives next: it must not count as an empty line.
    assert.deepEqual(decoder.push(Buffer.from('\n')), []);
    assert.deepEqual(decoder.push(Buffer.from('data: c\n\n')), [{ event: undefined, data: 'c' }]);
    assert.deepEqual(decoder.end(), []);
  });

  it('returns an event ended by a CR at a chunk end at once, keeping every byte', () => {
    const framer = new SseFramer();
    assert.deepEqual(framer.push(Buffer.from('data: a\r\n\r')).map(String), ['data: a\r\n\r']);
    assert.deepEqual(framer.push(Buffer.from('\ndata: b\r\n\r\n')).map(String), ['\ndata: b\r\n\r\n']);
    assert.equal(framer.end(), null);
  });

  it('passes a bare JSON error body through as data', () => {
    const body = '{"error":{"code":429,"message":"Resource has been exhausted"}}';
    assert.deepEqual(decodeAll(body), [{ event: undefined, data: body }]);
    assert.deepEqual(decodeAll(`${body}\n\n`), [{ event: undefined, data: body }]);
    const pretty = '{\n  "error": {\n    "code": 500\n  }\n}\n';
    assert.deepEqual(decodeAll(`data: {"a":1}\r\n\r\n${pretty}`, 'bytes'), [
      { event: undefined, data: '{"a":1}' },
      { event: undefined, data: pretty.trim() },
    ]);
    assert.deepEqual(decodeSseFrame('[1,2]'), { event: undefined, data: '[1,2]' });
    assert.equal(decodeSseFrame('hello world\n\n'), null);
  });

  it('decodes a trailing frame the upstream closed without its blank line', () => {
    const decoder = new SseDecoder();
    assert.deepEqual(decoder.push(Buffer.from('data: 1\n\ndata: 2')), [{ event: undefined, data: '1' }]);
    assert.deepEqual(decoder.end(), [{ event: undefined, data: '2' }]);
    assert.deepEqual(decodeAll('data: 3\r\n'), [{ event: undefined, data: '3' }]);
  });

  it('handles empty input and empty chunks', () => {
    const framer = new SseFramer();
    assert.deepEqual(framer.push(Buffer.alloc(0)), []);
    assert.equal(framer.end(), null);
    const decoder = new SseDecoder();
    assert.deepEqual(decoder.push(Buffer.alloc(0)), []);
    assert.deepEqual(decoder.end(), []);
    assert.deepEqual(decodeAll('data: x\n\n'.repeat(2)), [
      { event: undefined, data: 'x' },
      { event: undefined, data: 'x' },
    ]);
  });

  it('keeps multi-byte UTF-8 characters split across chunks intact', () => {
    const bytes = Buffer.from('data: 日本語 ✓\n\n');
    assert.deepEqual(decodeAll(bytes, 'bytes'), [{ event: undefined, data: '日本語 ✓' }]);
  });

  it('frames stray blank lines as their own (empty) frames', () => {
    const framer = new SseFramer();
    assert.deepEqual(framer.push(Buffer.from('\n\r\ndata: x\n\n')).map(String), ['\n', '\r\n', 'data: x\n\n']);
  });
});

describe('SSE frame size limit', () => {
  it('throws once an unfinished line grows past the limit, across chunks, without keeping it', () => {
    const framer = new SseFramer({ maxFrameBytes: 1024 });
    assert.deepEqual(framer.push(Buffer.from('data: {"ok":1}\n\n')).map(String), ['data: {"ok":1}\n\n']);
    assert.deepEqual(framer.push(Buffer.from(`data: ${'x'.repeat(500)}`)), []);
    assert.throws(() => framer.push(Buffer.alloc(600, 0x78)), SseFrameTooLargeError);
    assert.equal(framer.end(), null, 'the oversized bytes are dropped, not kept');
  });

  it('throws for a complete frame over the limit inside one chunk, and for one completed across chunks', () => {
    assert.throws(
      () => new SseFramer({ maxFrameBytes: 100 }).push(Buffer.from(`data: ${'y'.repeat(200)}\n\n`)),
      (error: unknown) => error instanceof SseFrameTooLargeError && error.limitBytes === 100,
    );
    const framer = new SseFramer({ maxFrameBytes: 100 });
    assert.deepEqual(framer.push(Buffer.from(`data: ${'y'.repeat(60)}`)), []);
    assert.throws(() => framer.push(Buffer.from(`${'y'.repeat(60)}\n\n`)), SseFrameTooLargeError);
  });

  it('accepts frames at the limit, and any number of them', () => {
    const frame = `data: ${'z'.repeat(94)}\n\n`;
    assert.equal(Buffer.byteLength(frame), 102);
    const framer = new SseFramer({ maxFrameBytes: 102 });
    for (let i = 0; i < 50; i++) {
      assert.deepEqual(framer.push(Buffer.from(frame.slice(0, 50))), []);
      assert.deepEqual(framer.push(Buffer.from(frame.slice(50))).map(String), [frame]);
    }
  });

  it('bounds the decoder too (default 8 MiB)', () => {
    const decoder = new SseDecoder({ maxFrameBytes: 64 });
    assert.deepEqual(decoder.push(Buffer.from('data: 1\n\n')), [{ event: undefined, data: '1' }]);
    assert.throws(() => decoder.push(Buffer.alloc(100, 0x61)), SseFrameTooLargeError);
    const unbounded = new SseDecoder();
    const line = Buffer.alloc(1024 * 1024, 0x61);
    assert.throws(() => {
      for (let i = 0; i < 9; i++) unbounded.push(line);
    }, SseFrameTooLargeError);
  });
});

describe('SSE encoding', () => {
  it('encodes data and named events', () => {
    assert.equal(encodeSseData('{"a":1}'), 'data: {"a":1}\n\n');
    assert.equal(encodeSseData('[DONE]'), 'data: [DONE]\n\n');
    assert.equal(encodeSseEvent('message_stop', '{}'), 'event: message_stop\ndata: {}\n\n');
  });

  it('splits multi-line data into several data: lines that decode back', () => {
    const data = 'one\ntwo\r\nthree\rfour';
    assert.equal(encodeSseData(data), 'data: one\ndata: two\ndata: three\ndata: four\n\n');
    assert.deepEqual(decodeAll(encodeSseEvent('x\n', data)), [{ event: 'x', data: 'one\ntwo\nthree\nfour' }]);
    assert.deepEqual(decodeAll(encodeSseData('')), [{ event: undefined, data: '' }]);
  });
});
