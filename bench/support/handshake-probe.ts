/**
 * One TCP + TLS handshake to every port at once, timed from the first connect to the last
 * completed handshake (this process's start-up is not counted): the network's share of the
 * physical bound for checking those endpoints.
 *
 *   node bench/support/handshake-probe.ts --ports 4001,4002,...
 */
import { connect } from 'node:tls';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { ports: { type: 'string' } } });
const ports = (values.ports ?? '').split(',').filter(Boolean).map(Number);
const t0 = performance.now();
await Promise.all(
  ports.map(
    (port) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      }),
  ),
);
process.stdout.write(`${JSON.stringify({ handshakesMs: performance.now() - t0 })}\n`);
