import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { servedByHeaders } from './types.ts';

describe('servedByHeaders', () => {
  it('writes only printable ASCII, so writeHead cannot throw on a quoted client value', () => {
    const headers = servedByHeaders({
      provider: 'claude',
      model: 'claude-sonnet-4-5',
      attempts: 1,
      fallbackModels: ['modèle-a', 'b'],
      warnings: ["service_tier 'priorité-模型\r\nx-evil: 1' not sent: Claude has no equivalent"],
    });
    for (const [name, value] of Object.entries(headers)) {
      assert.match(value, /^[\x20-\x7e]*$/, `${name} is printable ASCII: ${JSON.stringify(value)}`);
    }
    assert.ok(headers['x-llmux-warnings']?.includes('service_tier'), 'the warning is kept');
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    assert.doesNotThrow(() => res.writeHead(200, headers), 'Node accepts the headers');
  });
});
