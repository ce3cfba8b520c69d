import net from 'node:net';
import { startLlmux } from '../../test/support/start-llmux.ts';
const llmux = await startLlmux(`
server: { bodyLimitMb: 64 }
providers:
  sim: { type: simulator }
models:
  - name: demo
    deployments: [{ provider: sim, model: demo }]
`);
const port = Number(new URL(llmux.url).port);
// raw: 50MB declared, few bytes
const t0 = Date.now();
await new Promise<void>((resolve) => {
  const s = net.connect(port, '127.0.0.1', () => {
    s.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer wrong-key-123456\r\ncontent-type: application/json\r\ncontent-length: ${50 * 1024 * 1024}\r\n\r\n{"model":`);
  });
  let got = '';
  s.on('data', (d) => { got += d; });
  s.on('end', () => console.log('raw: server ended after', Date.now() - t0, 'ms', JSON.stringify(got.slice(0, 400))));
  s.on('close', () => { console.log('raw closed', Date.now() - t0); resolve(); });
  s.on('error', (e) => console.log('raw error', e.message));
  setTimeout(() => { console.log('raw timeout'); s.destroy(); }, 5000);
});
// undici fetch with a 50 MB body and wrong key
for (let i = 0; i < 5; i++) {
  const t1 = Date.now();
  try {
    const r = await fetch(`${llmux.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer wrong-key-123456', 'content-type': 'application/json' }, body: 'x'.repeat(50 * 1024 * 1024) });
    console.log('fetch', r.status, r.headers.get('connection'), (await r.text()).slice(0, 80), Date.now() - t1);
  } catch (e) { console.log('fetch error', (e as Error).message, (e as { cause?: Error }).cause?.message, Date.now() - t1); }
}
await llmux.close();
