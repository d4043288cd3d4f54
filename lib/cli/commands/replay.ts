import { deliverPending, listRefused, requeueRefused } from '../../alerting/deliver-pending.ts';
import type { OutboxEntry } from '../../alerting/notification.ts';
import type { ResultStore } from '../../alerting/result-store.ts';
import { loadConfigFile } from '../../config/load-config.ts';
import { UsageError } from '../../core/errors.ts';
import { selectChecks } from '../../core/select-checks.ts';
import type { LocalEmail } from '../../notify/local-email-notifier.ts';
import { paletteFor } from '../colors.ts';
import { type Command, configOption, configPath, formatOption, stringList } from '../command.ts';
import { localNotifiers, stateDirOf, stderrLogger } from '../local-alerting.ts';
import { openLocalStore, readerWaitMs } from '../open-store.ts';
import { outputFormat } from '../output-format.ts';
import { renderEmails } from '../render-emails.ts';

/** sysexits EX_UNAVAILABLE: something is still refused or waiting after the replay. */
export const exitStillUndelivered = 69;

export const replayCommand: Command = {
  name: 'replay',
  summary: 'send again the notifications a channel refused for good (after fixing the cause)',
  usage: [
    'healthcheck replay --config FILE [--check ID]... [--channel NAME] [--dry-run]',
    '                   [--state-dir DIR | --table NAME [--region REGION]] [--format table|json]',
    '',
    "  A permanent refusal (PagerDuty 4xx: a wrong or rotated routing key) is kept in the check's",
    '  outbox as failed and shown by `healthcheck status`; runs do not retry it. Fix the cause,',
    '  then replay: the latest notification of each incident goes out again (never a stale',
    '  trigger after a resolve). Transient failures need no replay: every run retries them.',
    '',
    '  --check ID      only these checks (repeatable; default: every check in the config)',
    '  --channel NAME  only this channel (pagerduty, email; sns or eventbridge when deployed)',
    '  --dry-run       list what would be replayed, change nothing',
    '  --table NAME    the deployed results table (AWS credentials from the environment): the',
    "                  refusals are put back to pending and the runner's delivery pass (every",
    '                  5 minutes) sends them; to send at once:',
    '                  aws lambda invoke --function-name RUNNER --payload \'{"deliver":"pending"}\' out.json',
    '',
    `  Exit 0 when everything replayed was accepted, ${exitStillUndelivered} when something is still refused or waiting.`,
  ].join('\n'),
  options: {
    ...configOption,
    ...formatOption,
    check: { type: 'string', multiple: true },
    channel: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'state-dir': { type: 'string' },
    table: { type: 'string' },
    region: { type: 'string' },
  },
  async run(values, io) {
    const format = outputFormat(values);
    const config = await loadConfigFile(configPath(values, io), { env: io.env });
    const checks = stringList(values['check']);
    const ids = selectChecks(config, checks.length > 0 ? { checks } : {}).checks.map((c) => c.id);
    // Grouped incidents belong to no single check: replayed with everything, not with --check.
    const suites = checks.length > 0 ? [] : [null, ...config.suites.map((s) => s.id)];
    const channel = typeof values['channel'] === 'string' ? values['channel'] : undefined;
    const table = typeof values['table'] === 'string' ? values['table'] : undefined;
    if (values['region'] !== undefined && !table) {
      throw new UsageError('--region goes with --table');
    }
    const wanted = (_e: OutboxEntry, c: string) => channel === undefined || c === channel;
    const print = (document: unknown, lines: string[]) =>
      io.stdout.write(
        format === 'json' ? `${JSON.stringify(document, null, 2)}\n` : `${lines.join('\n')}\n`,
      );

    let store: ResultStore;
    let close: () => Promise<void>;
    if (table) {
      const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
      const { DynamoResultStore } = await import('../../store/dynamodb-store.ts');
      const region = typeof values['region'] === 'string' ? values['region'] : undefined;
      const client = new DynamoDBClient(region ? { region } : {});
      store = new DynamoResultStore({ client, tableName: table });
      close = async () => client.destroy();
    } else {
      // Read-write: a replay settles what it delivered; it waits for a live run like a reader does.
      const embedded = await openLocalStore(stateDirOf(values, io), 'read-write', readerWaitMs);
      store = embedded.store;
      close = async () => {
        embedded.close();
      };
    }
    try {
      const refused = (await listRefused(store, ids, undefined, suites)).filter((r) =>
        channel === undefined ? true : r.channel === channel,
      );
      const listing = refused.map(
        (r) => `${r.check}: ${r.event} refused by ${r.channel} at ${r.at}: ${r.error}`,
      );
      if (refused.length === 0) {
        print({ refused: [], replayed: [] }, [
          'nothing to replay: no channel refused a notification',
        ]);
        return 0;
      }
      if (values['dry-run']) {
        print({ refused, replayed: [] }, [...listing, `${refused.length} would be replayed`]);
        return 0;
      }
      if (table) {
        const requeued = await requeueRefused(store, ids, wanted, undefined, suites);
        print({ refused, requeued }, [
          ...listing,
          `${requeued} put back to pending in ${table}; the runner's delivery pass sends them within 5 minutes`,
        ]);
        return 0;
      }
      const stateDir = stateDirOf(values, io);
      const emails: LocalEmail[] = [];
      const result = await deliverPending(ids, {
        store,
        suites,
        notifiers: await localNotifiers(config, { stateDir, io, print: (t) => emails.push(t) }),
        logger: stderrLogger(io),
        requeue: wanted,
      });
      const lines = result.notices.map((n) => {
        const outcome = [
          n.delivered?.length ? `delivered to ${n.delivered.join(', ')}` : '',
          n.pending?.length ? `still waiting for ${n.pending.join(', ')}` : '',
          n.failed?.length ? `refused again by ${n.failed.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ');
        return `${n.check}: ${n.event} ${outcome || 'nothing to send'}`;
      });
      print({ refused, replayed: result.notices }, [...listing, '', ...lines]);
      const out = format === 'json' ? io.stderr : io.stdout;
      out.write(renderEmails(emails, { verbose: false, palette: paletteFor(out.isTTY, io.env) }));
      const undelivered = result.notices.some((n) => n.pending?.length || n.failed?.length);
      return undelivered ? exitStillUndelivered : 0;
    } finally {
      await close();
    }
  },
};
