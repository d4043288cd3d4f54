import { spawn } from 'node:child_process';
import { refusedPort } from '../../support/tls-servers.ts';

export const natsBinary = '/usr/sbin/nats-server';

export interface RealNats {
  /** Monitoring base URL, e.g. http://127.0.0.1:PORT (the runbook's :8222). */
  readonly monitor: string;
  stop(): Promise<void>;
}

/** The machine's nats-server on free loopback ports (4222/8222 may be taken by others). */
export async function startNats(): Promise<RealNats> {
  const [clientPort, monitorPort] = [await refusedPort(), await refusedPort()];
  const child = spawn(
    natsBinary,
    ['-a', '127.0.0.1', '-p', String(clientPort), '-m', String(monitorPort)],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const monitor = `http://127.0.0.1:${monitorPort}`;
  const end = Date.now() + 20_000;
  for (;;) {
    if (
      await fetch(`${monitor}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > end || child.exitCode !== null) {
      await stop();
      throw new Error('nats-server did not start');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { monitor, stop };
}
