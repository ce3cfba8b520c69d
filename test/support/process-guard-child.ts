/**
 * Child process for src/server/process-guard.test.ts: installs the guard (unless told not to),
 * serves HTTP, and throws an uncaught exception and an unhandled rejection on request.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { installProcessGuard } from '../../src/server/process-guard.ts';

if (process.env.NO_GUARD !== '1') installProcessGuard(pino({ level: 'info' }));

const server = createServer((request, response) => {
  if (request.url === '/throw') {
    setImmediate(() => {
      throw new Error('boom from a timer');
    });
    void Promise.reject(new Error('rejected and never handled'));
  }
  response.end('alive');
});
server.listen(0, '127.0.0.1', () => {
  process.stderr.write(`PORT=${(server.address() as AddressInfo).port}\n`);
});
