import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type DelayProxy, startDelayProxy } from '../../bench/support/delay-proxy.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function echoServer(): Promise<number> {
  const server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

async function proxy(target: number, delayMs: number): Promise<DelayProxy> {
  const p = await startDelayProxy(target, delayMs);
  cleanups.push(() => p.close());
  return p;
}

/** Sends `messages` one by one through `port`, returning what came back and the first round trip. */
function exchange(port: number, messages: string[]) {
  return new Promise<{ echoed: string; firstRoundTripMs: number }>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let echoed = '';
    let firstRoundTripMs = -1;
    const expected = messages.join('');
    const started = performance.now();
    socket.on('connect', () => {
      for (const m of messages) socket.write(m);
    });
    socket.on('data', (chunk) => {
      if (firstRoundTripMs < 0) firstRoundTripMs = performance.now() - started;
      echoed += chunk.toString();
      if (echoed.length >= expected.length) {
        socket.end();
        resolve({ echoed, firstRoundTripMs });
      }
    });
    socket.on('error', reject);
  });
}

describe('delay proxy', () => {
  it('holds data for the delay in each direction', async () => {
    const p = await proxy(await echoServer(), 60);
    const { echoed, firstRoundTripMs } = await exchange(p.port, ['hello']);
    expect(echoed).toBe('hello');
    // Two delayed legs: at least 2 x 60 ms (timers fire no earlier than asked).
    expect(firstRoundTripMs).toBeGreaterThanOrEqual(115);
  });

  it('keeps the order of many chunks', async () => {
    const p = await proxy(await echoServer(), 5);
    const messages = Array.from({ length: 200 }, (_, i) => `<${i}>`);
    const { echoed } = await exchange(p.port, messages);
    expect(echoed).toBe(messages.join(''));
  });

  it('forwards at once with zero delay', async () => {
    const p = await proxy(await echoServer(), 0);
    const { echoed } = await exchange(p.port, ['a', 'b', 'c']);
    expect(echoed).toBe('abc');
  });

  it('closes the client side when the target refuses the connection', async () => {
    const unused = await echoServer();
    const p = await proxy(unused, 10);
    await cleanups.shift()?.(); // close the echo server: the port now refuses
    const closed = await new Promise<boolean>((resolve) => {
      const socket = net.connect(p.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.on('close', () => resolve(true));
    });
    expect(closed).toBe(true);
  });
});
