import type { ResultStore } from '../../lib/alerting/result-store.ts';
import type { Config } from '../../lib/config/load-config.ts';
import { statusPageEnvironment } from '../../lib/report/status-page-names.ts';

/**
 * The status page hook for the runner, when the stack gave it a bucket. The S3 client and the
 * renderer load on first use, after the first run, so they add nothing to the cold start.
 */
export function statusPagePublisher(
  env: NodeJS.ProcessEnv,
  store: Pick<ResultStore, 'getStates' | 'history'>,
): { publishStatusPage?: (config: Config, signal: AbortSignal) => Promise<void> } {
  const bucket = env[statusPageEnvironment.bucket];
  if (!bucket) return {};
  const endpoint = env[statusPageEnvironment.s3Endpoint];
  const title = env[statusPageEnvironment.title];
  let storage:
    | Promise<import('../../lib/report/publish-status-page.ts').StatusPageStorage>
    | undefined;
  return {
    async publishStatusPage(config, signal) {
      storage ??= (async () => {
        const { S3Client } = await import('@aws-sdk/client-s3');
        const { S3PageStorage } = await import('../../lib/report/s3-page-storage.ts');
        const client = new S3Client(
          endpoint
            ? { endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' }
            : {},
        );
        return new S3PageStorage({ client, bucket });
      })();
      // A failed load is retried by the next run instead of being remembered.
      storage.catch(() => {
        storage = undefined;
      });
      const { publishStatusPage } = await import('../../lib/report/publish-status-page.ts');
      await publishStatusPage({
        config,
        store,
        storage: await storage,
        now: new Date(),
        signal,
        ...(title ? { title } : {}),
      });
    },
  };
}
