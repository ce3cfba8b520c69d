import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeTraces, unixNanos } from './otlp-json.ts';
import { SPAN_KIND_SERVER, type SpanData, STATUS_ERROR } from './span-data.ts';

describe('OTLP JSON encoding', () => {
  it('nanoseconds as exact decimal strings (beyond a double’s integer range)', () => {
    assert.equal(unixNanos(1_764_000_000_123), '1764000000123000000');
    assert.equal(unixNanos(1_764_000_000_123.5), '1764000000123500000');
    assert.equal(unixNanos(1_764_000_000_123 + 0.0000004), '1764000000123000000');
    assert.equal(unixNanos(1_764_000_000_123 + 0.9999999), '1764000000124000000');
  });

  it('resourceSpans/scopeSpans/spans with typed AnyValues', () => {
    const span: SpanData = {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      parentSpanId: null,
      traceState: 'k=v',
      name: 'chat m',
      kind: SPAN_KIND_SERVER,
      startMs: 1000,
      endMs: 999,
      attributes: { s: 'x', i: 3, d: 0.5, whole: 1, b: true, list: ['stop', 'length'] },
      doubles: new Set(['whole']),
      events: [{ name: 'e', timeMs: 1000.25 }],
      status: { code: STATUS_ERROR, message: 'upstream_error' },
    };
    const body = JSON.parse(encodeTraces({ 'service.name': 'llmux' }, { name: 'llmux', version: '1' }, [span]));
    const resource = body.resourceSpans[0].resource;
    assert.deepEqual(resource.attributes, [{ key: 'service.name', value: { stringValue: 'llmux' } }]);
    const encoded = body.resourceSpans[0].scopeSpans[0].spans[0];
    assert.equal(encoded.parentSpanId, undefined, 'no parent: the field is left out');
    assert.equal(encoded.traceState, 'k=v');
    assert.equal(encoded.kind, 2);
    assert.equal(encoded.startTimeUnixNano, '1000000000');
    assert.equal(encoded.endTimeUnixNano, '1000000000', 'an end before the start is clamped');
    assert.deepEqual(encoded.attributes, [
      { key: 's', value: { stringValue: 'x' } },
      { key: 'i', value: { intValue: '3' } },
      { key: 'd', value: { doubleValue: 0.5 } },
      { key: 'whole', value: { doubleValue: 1 } },
      { key: 'b', value: { boolValue: true } },
      { key: 'list', value: { arrayValue: { values: [{ stringValue: 'stop' }, { stringValue: 'length' }] } } },
    ]);
    assert.deepEqual(encoded.events, [{ timeUnixNano: '1000250000', name: 'e', attributes: [] }]);
    assert.deepEqual(encoded.status, { code: 2, message: 'upstream_error' });
  });
});
