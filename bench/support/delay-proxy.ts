import net from 'node:net';

export interface DelayProxy {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Forwards one loopback port to another, holding every chunk for `delayMs` in each direction, so
 * a handshake pays the round trips it would pay across a network. Equal delays keep chunk order:
 * Node fires timers of the same duration first-in, first-out.
 */
export async function startDelayProxy(targetPort: number, delayMs: number): Promise<DelayProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort, allowHalfOpen: true });
    sockets.add(client);
    sockets.add(upstream);
    relay(client, upstream, delayMs);
    relay(upstream, client, delayMs);
    const forget = () => {
      sockets.delete(client);
      sockets.delete(upstream);
    };
    // An error on one side ends the other at once; a normal close ends it gracefully after the
    // delay (behind any data still in flight), with a hard stop in case the peer never closes.
    const abort = () => {
      client.destroy();
      upstream.destroy();
      forget();
    };
    client.on('error', abort);
    upstream.on('error', abort);
    const closeOther = (other: net.Socket) => () =>
      setTimeout(() => {
        other.end();
        setTimeout(abort, 1000).unref();
      }, delayMs);
    client.on('close', closeOther(upstream));
    upstream.on('close', closeOther(client));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function relay(from: net.Socket, to: net.Socket, delayMs: number): void {
  const later = (action: () => void) => (delayMs > 0 ? setTimeout(action, delayMs) : action());
  from.on('data', (chunk: Buffer) =>
    later(() => {
      if (!to.destroyed) to.write(chunk);
    }),
  );
  from.on('end', () =>
    later(() => {
      if (!to.destroyed) to.end();
    }),
  );
}
