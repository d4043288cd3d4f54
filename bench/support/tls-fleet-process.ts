/**
 * A fleet of loopback TLS endpoints, run as its own process so serving handshakes does not share
 * an event loop with the process that times the contenders. Each endpoint is one
 * `tls.createServer`, reachable directly and through its own delaying proxy.
 *
 * Prints one JSON line `{"direct":[ports],"delayed":[ports]}` when ready, then serves until its
 * stdin closes or `--max-seconds` pass, whichever comes first: it always stops by itself.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { parseArgs } from 'node:util';
import { startDelayProxy } from './delay-proxy.ts';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '200' },
    'delay-ms': { type: 'string', default: '25' },
    cert: { type: 'string' },
    key: { type: 'string' },
    'max-seconds': { type: 'string', default: '1800' },
  },
});

const count = Number(values.count);
const delayMs = Number(values['delay-ms']);
if (!values.cert || !values.key) throw new Error('--cert and --key are required');
const cert = readFileSync(values.cert);
const key = readFileSync(values.key);

async function startEndpoint(): Promise<{ server: tls.Server; port: number }> {
  const server = tls.createServer({ cert, key }, (socket) => {
    // Enough HTTP for a client that goes on to send a request after the handshake.
    socket.once('data', () => socket.end('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok'));
    socket.on('error', () => {});
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return { server, port: address.port };
}

const endpoints = await Promise.all(Array.from({ length: count }, startEndpoint));
const proxies = await Promise.all(endpoints.map((e) => startDelayProxy(e.port, delayMs)));
process.stdout.write(
  `${JSON.stringify({ direct: endpoints.map((e) => e.port), delayed: proxies.map((p) => p.port) })}\n`,
);

const stop = () => process.exit(0);
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
setTimeout(stop, Number(values['max-seconds']) * 1000).unref();
process.on('SIGTERM', stop);
