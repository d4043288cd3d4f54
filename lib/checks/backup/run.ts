import type { CheckOutcome } from '../../core/result.ts';
import type { CheckContext } from '../plugin.ts';
import { type BackupStore, BackupStoreError } from './backup-store.ts';
import type { BackupCheckConfig } from './config.ts';
import { evaluateBackup, newest } from './evaluate-backup.ts';
import { fileStore } from './file-store.ts';
import { backupDate, fillDate, hasTokens, type ParsedLocation, parseLocation } from './location.ts';
import type { S3ClientFactory } from './s3-store.ts';

export interface BackupCheckDeps {
  /** Builds the S3 client for a check run (tests, or a shared client with custom middleware). */
  readonly s3Client?: S3ClientFactory;
}

async function openStore(
  location: ParsedLocation,
  config: BackupCheckConfig,
  deps: BackupCheckDeps,
): Promise<BackupStore> {
  if (location.scheme === 'file') return fileStore();
  // The AWS SDK loads only when an S3 location is checked.
  const s3 = await import('./s3-store.ts');
  const factory = deps.s3Client ?? s3.defaultS3Client;
  return s3.s3Store(location.bucket, factory(s3.s3ClientConfig(config)));
}

function display(location: ParsedLocation, template: string): string {
  return location.scheme === 'file' ? `file://${template}` : `s3://${location.bucket}/${template}`;
}

export function createRun(deps: BackupCheckDeps = {}) {
  return async function run(
    config: BackupCheckConfig,
    context: CheckContext,
  ): Promise<CheckOutcome> {
    const location = parseLocation(config.location);
    const date = backupDate(
      context.scheduledTime ?? context.now,
      context.timezone,
      config.dayOffset,
    );
    const expected = fillDate(location.template, date);
    const store = await openStore(location, config, deps);
    try {
      // After the dates are filled in, only `{*}` can be left: then the day's newest match counts.
      const current = hasTokens(expected)
        ? newest((await store.list(expected, context.signal)).objects)
        : await store.find(expected, context.signal);
      const needHistory = !current || config.sizeDeviation !== false;
      const history = needHistory ? await store.list(location.template, context.signal) : undefined;
      const outcome = evaluateBackup(
        {
          expected: display(location, expected),
          series: display(location, location.template),
          current,
          history,
          now: context.now,
          timeZone: context.timezone,
        },
        config,
      );
      return {
        ...outcome,
        details: { date: `${date.yyyy}-${date.MM}-${date.dd}`, ...outcome.details },
      };
    } catch (error) {
      if (error instanceof BackupStoreError) {
        return {
          status: 'unknown',
          summary: `${display(location, expected)}: ${error.message}`,
          details: { expected: display(location, expected) },
        };
      }
      throw error;
    } finally {
      store.close();
    }
  };
}

export const run = createRun();
