import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalBus } from './local-bus.ts';

describe('LocalBus', () => {
  it('delivers to every subscriber of the topic before publish returns, the publisher included', async () => {
    const bus = new LocalBus();
    const got: string[] = [];
    await bus.subscribe('t', (m) => got.push(`1:${m}`));
    await bus.subscribe('t', (m) => got.push(`2:${m}`));
    await bus.subscribe('other', (m) => got.push(`other:${m}`));
    const published = bus.publish('t', 'x');
    assert.deepEqual(got, ['1:x', '2:x'], 'delivered synchronously, to that topic only');
    await published;
  });

  it('a throwing handler does not keep the message from the others; publish rejects with its error', async () => {
    const bus = new LocalBus();
    const got: string[] = [];
    await bus.subscribe('t', () => {
      throw new Error('boom');
    });
    await bus.subscribe('t', (m) => got.push(m));
    await assert.rejects(bus.publish('t', 'x'), /boom/, 'publish rejects');
    assert.deepEqual(got, ['x'], 'the second handler still ran');
  });

  it('close drops the subscribers', async () => {
    const bus = new LocalBus();
    const got: string[] = [];
    await bus.subscribe('t', (m) => got.push(m));
    await bus.close();
    await bus.publish('t', 'x');
    assert.deepEqual(got, [], 'nothing delivered after close');
  });
});
