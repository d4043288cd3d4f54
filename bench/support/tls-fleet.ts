import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CertificateFiles } from './self-signed-cert.ts';

export interface TlsFleet {
  /** Ports of the TLS servers themselves (the zero-delay case). */
  readonly direct: readonly number[];
  /** Ports of the delaying proxies in front of them, in the same order. */
  readonly delayed: readonly number[];
  stop(): Promise<void>;
}

const fleetScript = new URL('./tls-fleet-process.ts', import.meta.url).pathname;

export async function startTlsFleet(
  count: number,
  delayMs: number,
  cert: CertificateFiles,
  maxSeconds = 1800,
): Promise<TlsFleet> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      fleetScript,
      '--count',
      String(count),
      '--delay-ms',
      String(delayMs),
      '--cert',
      cert.certPath,
      '--key',
      cert.keyPath,
      '--max-seconds',
      String(maxSeconds),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const stdout = child.stdout;
  if (!stdout) throw new Error('fleet has no stdout');
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`TLS fleet exited early (code ${code})`)));
    child.once('error', reject);
  });
  const ports = JSON.parse(firstLine) as { direct: number[]; delayed: number[] };
  return {
    ...ports,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin?.end();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
