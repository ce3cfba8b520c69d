import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanTracestate, formatTraceparent, newSpanId, newTraceId, parseTraceparent } from './trace-context.ts';

describe('W3C trace context', () => {
  it('parses a valid traceparent and its sampled flag', () => {
    assert.deepEqual(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      sampled: true,
    });
    assert.equal(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00')?.sampled, false);
    assert.equal(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03')?.sampled, true);
  });

  it('refuses invalid ones: zero ids, upper case, version ff, extra fields on version 00, arrays', () => {
    for (const bad of [
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7',
      'garbage',
    ]) {
      assert.equal(parseTraceparent(bad), undefined, bad);
    }
    assert.equal(parseTraceparent(['a', 'b']), undefined);
    assert.equal(parseTraceparent(undefined), undefined);
  });

  it('accepts a future version with extra fields (as the spec asks)', () => {
    assert.equal(parseTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-ever')?.sampled, true);
  });

  it('keeps a bounded, printable tracestate only', () => {
    assert.equal(cleanTracestate(' a=1,b=2 '), 'a=1,b=2');
    assert.equal(cleanTracestate(['a=1', 'b=2']), 'a=1,b=2');
    assert.equal(cleanTracestate('x'.repeat(600)), null);
    assert.equal(cleanTracestate('a=\u0001'), null);
    assert.equal(cleanTracestate(undefined), null);
  });

  it('formats traceparent and draws distinct non-zero ids of the right length', () => {
    assert.equal(formatTraceparent('a'.repeat(32), 'b'.repeat(16), false), `00-${'a'.repeat(32)}-${'b'.repeat(16)}-00`);
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const trace = newTraceId();
      const span = newSpanId();
      assert.match(trace, /^[0-9a-f]{32}$/);
      assert.match(span, /^[0-9a-f]{16}$/);
      ids.add(trace);
      ids.add(span);
    }
    assert.equal(ids.size, 4000, 'no id repeats (across pool refills)');
  });
});
