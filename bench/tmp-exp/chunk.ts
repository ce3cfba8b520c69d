import { rawExchange } from '../../test/support/raw-http.ts';
import { startFrontDoorLlmux, FRONT_DOOR_KEY } from '../../test/e2e/front-door-support.ts';
const MB = 1024 * 1024;
const llmux = await startFrontDoorLlmux(`
server: { bodyLimitMb: 8, headersTimeoutMs: 600, bodyTimeoutMs: 600, maxInflightBodyMb: 5 }
providers:
  sim: { type: simulator, latencyMs: 400 }
models:
  - name: demo
    deployments: [{ provider: sim, model: demo }]
`);
const chunk = Buffer.alloc(MB, 'x');
const chunked = Buffer.concat(Array.from({ length: 3 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])));
const head = `POST /v1/chat/completions HTTP/1.1\r\nhost: llmux\r\nauthorization: Bearer ${FRONT_DOOR_KEY}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`;
const first = fetch(`${llmux.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${FRONT_DOOR_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'x'.repeat(4 * MB) }] }) });
await new Promise((r) => setTimeout(r, 150));
const ex = await rawExchange(llmux.url, head, { body: Buffer.concat([Buffer.from('{"model":"demo","messages":"'), chunked]), waitMs: 5000 });
console.log(ex.status, ex.closedByServer, ex.ms, ex.body.slice(0, 200));
console.log((await first).status);
console.log(llmux.logs.join(''));
await llmux.close();
