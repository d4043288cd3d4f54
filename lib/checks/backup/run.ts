import { byteCount } from '../../config/fields.ts';
import type { CheckOutcome } from '../../core/result.ts';
import type { S3ClientFactory } from '../../s3/s3-client.ts';
import type { CheckContext } from '../plugin.ts';
import { type BackupStore, BackupStoreError } from './backup-store.ts';
import { ageMsOf, type BackupCheckConfig, levelsOf } from './config.ts';
import { evaluateBacklog } from './evaluate-backlog.ts';
import { evaluateBackup, newest } from './evaluate-backup.ts';
import { fileStore, folderExists, listingRoot } from './file-store.ts';
import {
  backupDate,
  fillDate,
  hasTokens,
  literalPrefix,
  type ParsedLocation,
  parseLocation,
} from './location.ts';

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
  const [{ s3Store }, client] = await Promise.all([
    import('./s3-store.ts'),
    import('../../s3/s3-client.ts'),
  ]);
  const factory = deps.s3Client ?? client.defaultS3Client;
  return s3Store(location.bucket, factory(client.s3ClientConfig(config)));
}

function display(location: ParsedLocation, template: string): string {
  return location.scheme === 'file' ? `file://${template}` : `s3://${location.bucket}/${template}`;
}

function unreadable(where: string, error: BackupStoreError): CheckOutcome {
  return { status: 'unknown', summary: `${where}: ${error.message}`, details: { expected: where } };
}

/** Everything under the location, against the backlog limits (the date tokens match any date). */
async function runBacklog(
  config: BackupCheckConfig,
  context: CheckContext,
  deps: BackupCheckDeps,
): Promise<CheckOutcome> {
  const location = parseLocation(config.location, { recursive: true });
  const where = config.location;
  const store = await openStore(location, config, deps);
  try {
    const root = listingRoot(location.template);
    if (location.scheme === 'file' && !(await folderExists(root))) {
      return {
        status: 'unknown',
        summary: `backlog ${where}: the folder ${root} does not exist`,
        details: { mode: 'backlog', location: where },
      };
    }
    const listing = await store.list(location.template, context.signal);
    return evaluateBacklog(
      { where, root: folderOf(literalPrefix(location.template)), listing, now: context.now },
      {
        ...optional(
          'maxCount',
          levelsOf(config.maxCount, (v: number) => v),
        ),
        ...optional('maxOldestAge', levelsOf(config.maxOldestAge, ageMsOf)),
        ...optional('maxTotalBytes', levelsOf(config.maxTotalBytes, byteCount)),
        written: {
          maxCount: config.maxCount,
          maxOldestAge: config.maxOldestAge,
          maxTotalBytes: config.maxTotalBytes,
        },
      },
    );
  } catch (error) {
    if (error instanceof BackupStoreError) return unreadable(where, error);
    throw error;
  } finally {
    store.close();
  }
}

/** `pending/label-` -> `pending/`: entries are named relative to their folder. */
const folderOf = (prefix: string): string => prefix.slice(0, prefix.lastIndexOf('/') + 1);

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

export function createRun(deps: BackupCheckDeps = {}) {
  return async function run(
    config: BackupCheckConfig,
    context: CheckContext,
  ): Promise<CheckOutcome> {
    if (config.mode === 'backlog') return runBacklog(config, context, deps);
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
      if (error instanceof BackupStoreError) return unreadable(display(location, expected), error);
      throw error;
    } finally {
      store.close();
    }
  };
}

export const run = createRun();
