import type { ResultStore } from '../alerting/result-store.ts';
import type { Config } from '../config/load-config.ts';
import { collectStatusFeed } from './collect.ts';
import { renderStatusPage } from './render-status-page.ts';
import { parseStatusFeed, type StatusFeed } from './status-feed.ts';
import { statusPageObjects } from './status-page-names.ts';

/** Where a published page lives (an S3 bucket on AWS): the port the publisher writes through. */
export interface StatusPageStorage {
  /** The object's text, or undefined when it does not exist. */
  read(key: string, signal?: AbortSignal): Promise<string | undefined>;
  write(key: string, body: string, contentType: string, signal?: AbortSignal): Promise<void>;
}

export interface PublishStatusPageInput {
  readonly config: Pick<Config, 'timezone' | 'suites' | 'checks'>;
  readonly store: Pick<ResultStore, 'getStates' | 'history'>;
  readonly storage: StatusPageStorage;
  readonly now: Date;
  readonly signal?: AbortSignal;
  readonly title?: string;
  readonly version?: string;
}

/**
 * After a run: re-reads every check's state and today's runs, carries earlier days' tallies over
 * from the feed published last time (a missing or unreadable one means reading 90 days once),
 * then writes the feed and the page. The feed goes first, so a page never links to older data.
 */
export async function publishStatusPage(input: PublishStatusPageInput): Promise<StatusFeed> {
  const text = await input.storage.read(statusPageObjects.feed, input.signal);
  const previous = text === undefined ? undefined : parseStatusFeed(text);
  const feed = await collectStatusFeed(input.config, input.store, {
    now: input.now,
    ...(input.signal ? { signal: input.signal } : {}),
    ...(previous ? { previous } : {}),
  });
  await input.storage.write(
    statusPageObjects.feed,
    `${JSON.stringify(feed)}\n`,
    'application/json; charset=utf-8',
    input.signal,
  );
  const page = renderStatusPage(feed, {
    feedHref: statusPageObjects.feed,
    ...(input.title ? { title: input.title } : {}),
    ...(input.version ? { version: input.version } : {}),
  });
  await input.storage.write(statusPageObjects.page, page, 'text/html; charset=utf-8', input.signal);
  return feed;
}
