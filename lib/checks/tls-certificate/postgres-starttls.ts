import type { Socket } from 'node:net';
import { TlsEndpointError } from './endpoint-error.ts';

/** PostgreSQL's SSLRequest: length 8, then the magic code 80877103 (1234 << 16 | 5679). */
const sslRequest = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);

/**
 * Asks a PostgreSQL server to switch to TLS. It answers one byte: `S` (go ahead) or `N`
 * (SSL is off); anything else means the port is not PostgreSQL.
 */
export function postgresSslRequest(socket: Socket, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onClose = (): void =>
      reject(new TlsEndpointError(`${endpoint}: closed the connection after the SSLRequest`));
    socket.once('close', onClose);
    socket.once('data', (chunk: Buffer) => {
      socket.off('close', onClose);
      const answer = chunk.subarray(0, 1).toString('latin1');
      if (answer === 'S' && chunk.length === 1) resolve();
      else if (answer === 'N')
        reject(
          new TlsEndpointError(`${endpoint}: PostgreSQL server does not accept SSL (ssl = off)`),
        );
      else
        reject(new TlsEndpointError(`${endpoint}: unexpected answer to the PostgreSQL SSLRequest`));
    });
    socket.write(sslRequest);
  });
}
