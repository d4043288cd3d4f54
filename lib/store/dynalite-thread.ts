import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * dynalite in a worker thread: its start-up (module loading, LevelDB open) and its per-request
 * work run on another core while the CLI loads check code and runs checks. The worker is plain
 * script evaluated from a string (CommonJS or ESM, whichever the parent's flags make it) so it
 * works the same from source, tsc output and the bundle.
 */
const workerSource = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads');
const load = process.getBuiltinModule('node:module').createRequire(workerData.dynalite);
const dynalite = load(workerData.dynalite);
const server = dynalite({ path: workerData.path, createTableMs: 0 });
server.once('error', (error) => parentPort.postMessage({ error: String(error && error.message || error) }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'close') server.close(() => parentPort.postMessage({ closed: true }));
});
`;

export interface DynaliteThread {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startDynaliteThread(path: string): Promise<DynaliteThread> {
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { dynalite: createRequire(import.meta.url).resolve('dynalite'), path },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`dynalite worker exited (${code})`)));
    worker.once('message', (message: { port?: number; error?: string }) => {
      if (message.port) resolve(message.port);
      else reject(new Error(`dynalite did not start: ${message.error ?? 'unknown error'}`));
    });
  });
  worker.removeAllListeners('exit');
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        const done = (): void => resolve();
        worker.once('exit', done);
        worker.once('message', () => void worker.terminate().then(done, done));
        worker.postMessage('close');
      });
    },
  };
}
