/**
 * `upstreamEvents` feeds body bytes to the adapter's own parser: a provider with a binary framing
 * (here 4-byte big-endian length-prefixed JSON frames, like an event-stream) works without SSE,
 * and its frame-size cap comes from the upstream's limits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GatewayError } from '../core/errors.ts';
import type { StreamEvent } from '../core/types.ts';
import { FrameTooLargeError } from '../lib/frame-too-large.ts';
import type { DeploymentTarget, ProviderAdapter, StreamParser, StreamParserOptions } from '../providers/types.ts';
import { DEFAULT_UPSTREAM_LIMITS, type UpstreamResponse } from '../upstream/types.ts';
import { asGatewayError } from './as-gateway-error.ts';
import { upstreamEvents } from './translated.ts';

/** Length-prefixed frames, each `{"text": …}` or `{"done": true}`. */
class LengthPrefixedParser implements StreamParser {
  private pending = Buffer.alloc(0);
  private done = false;

  constructor(private readonly maxEventBytes: number) {}

  push(chunk: Buffer): StreamEvent[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const events: StreamEvent[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readUInt32BE(0);
      if (length > this.maxEventBytes) throw new FrameTooLargeError(this.maxEventBytes, 'binary event');
      if (this.pending.length < 4 + length) break;
      const payload = JSON.parse(this.pending.subarray(4, 4 + length).toString('utf8')) as { text?: string };
      this.pending = this.pending.subarray(4 + length);
      if (payload.text === undefined) this.done = true;
      else events.push({ type: 'text-delta', choice: 0, text: payload.text });
    }
    return events;
  }

  end(): StreamEvent[] {
    if (!this.done) throw new GatewayError('upstream_bad_response', 'binary stream ended early');
    return [{ type: 'finish', choice: 0, reason: { unified: 'stop', raw: 'done' } }];
  }
}

const seenOptions: Array<StreamParserOptions | undefined> = [];
const binaryAdapter: ProviderAdapter = {
  type: 'binary-test',
  defaultBaseUrl: 'http://binary.invalid',
  wireFormat: 'binary-test',
  capabilitiesFor: () => ({}),
  buildRequest: () => assert.fail('not used'),
  parseResponse: () => assert.fail('not used'),
  createStreamParser: (_target, options) => {
    seenOptions.push(options);
    return new LengthPrefixedParser(options?.maxEventBytes ?? Number.POSITIVE_INFINITY);
  },
  parseError: () => assert.fail('not used'),
};

const target: DeploymentTarget = {
  providerName: 'bin',
  providerType: 'binary-test',
  baseUrl: 'http://binary.invalid',
  model: 'm',
  capabilities: {},
};

function frame(payload: object): Buffer {
  const json = Buffer.from(JSON.stringify(payload));
  const header = Buffer.alloc(4);
  header.writeUInt32BE(json.length);
  return Buffer.concat([header, json]);
}

function upstreamOf(chunks: Buffer[], maxEventBytes = DEFAULT_UPSTREAM_LIMITS.maxEventBytes): UpstreamResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/vnd.amazon.eventstream' },
    body: (async function* () {
      yield* chunks;
    })(),
    limits: { ...DEFAULT_UPSTREAM_LIMITS, maxEventBytes },
    text: async () => '',
    discard: () => undefined,
  };
}

async function drain(upstream: UpstreamResponse): Promise<StreamEvent[][]> {
  const batches: StreamEvent[][] = [];
  for await (const batch of upstreamEvents(upstream, binaryAdapter, target)) batches.push(batch);
  return batches;
}

describe('upstreamEvents with a binary-framed provider', () => {
  it('parses frames split anywhere across chunks, no SSE involved', async () => {
    const body = Buffer.concat([frame({ text: 'Hel' }), frame({ text: 'lo' }), frame({ done: true })]);
    const chunks = [body.subarray(0, 2), body.subarray(2, 9), body.subarray(9, 20), body.subarray(20)];
    const batches = await drain(upstreamOf(chunks, 1024));
    const events = batches.flat();
    assert.deepEqual(events, [
      { type: 'text-delta', choice: 0, text: 'Hel' },
      { type: 'text-delta', choice: 0, text: 'lo' },
      { type: 'finish', choice: 0, reason: { unified: 'stop', raw: 'done' } },
    ]);
    assert.ok(
      batches.every((batch) => batch.length > 0),
      'no empty batches',
    );
    assert.deepEqual(seenOptions.at(-1), { maxEventBytes: 1024 });
  });

  it("an event over the upstream's maxEventBytes is upstream_response_too_large", async () => {
    const body = Buffer.concat([frame({ text: 'x'.repeat(200) }), frame({ done: true })]);
    const thrown = await drain(upstreamOf([body], 64)).then(
      () => assert.fail('expected a throw'),
      (error: unknown) => error,
    );
    assert.ok(thrown instanceof FrameTooLargeError);
    assert.equal(asGatewayError(thrown).code, 'upstream_response_too_large');
  });

  it('a cut stream fails at end() as the parser decides', async () => {
    await assert.rejects(drain(upstreamOf([frame({ text: 'a' })])), { code: 'upstream_bad_response' });
  });
});
