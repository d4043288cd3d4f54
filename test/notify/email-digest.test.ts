import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../lib/alerting/notification.ts';
import { digestOrder, digestSubject } from '../../lib/notify/email-digest.ts';
import { emailBody } from '../../lib/notify/email-message.ts';
import { LocalEmailNotifier } from '../../lib/notify/local-email-notifier.ts';
import { pagerDutyEventFor } from '../../lib/notify/pagerduty-event.ts';
import { SnsNotifier } from '../../lib/notify/sns-notifier.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const sns = mockClient(SNSClient);
afterEach(() => sns.reset());
const tempDir = useTempDirs();

const at = '2026-11-22T01:00:00.000Z';
function note(check: string, fields: Partial<AlertNotification> = {}): AlertNotification {
  return {
    id: `${check}:${fields.event ?? 'trigger'}:${at}`,
    check,
    suite: 'morning',
    event: 'trigger',
    status: 'critical',
    previousStatus: 'ok',
    severity: 'P3',
    summary: `${check} is broken`,
    details: {},
    since: at,
    at,
    ...fields,
  };
}

const run = [
  note('backup', { event: 'resolve', status: 'ok', previousStatus: 'critical', severity: 'P1' }),
  note('disk', { status: 'warning', severity: 'P1' }),
  note('db', { severity: 'P2' }),
  note('api', { severity: 'P1', event: 'reminder' }),
];

describe('email digest', () => {
  it('orders alerts before resolves, worst status and most urgent severity first', () => {
    expect(digestOrder(run).map((n) => n.check)).toEqual(['api', 'db', 'disk', 'backup']);
  });

  it('says what the run holds in the subject, under the SNS limits', () => {
    const subject = digestSubject(run);
    expect(subject).toMatch(/^\[P1\] 2 alerts, 1 still failing, 1 resolved: /);
    expect(subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  });

  it('heads the subject with the most urgent alert, so its [P1] and its headline agree', () => {
    const storm = [
      note('disk-root', { severity: 'P3' }),
      note('storm/group', { severity: 'P1', status: 'unknown', summary: '200 checks failing' }),
    ];
    expect(digestSubject(storm)).toMatch(/^\[P1\] 2 alerts: ALERT UNKNOWN: storm\/group/);
  });

  it('locally: an address limited to P1 gets only the P1 alerts of the run', async () => {
    const dir = await tempDir();
    const outboxFile = join(dir, 'outbox.jsonl');
    const sent: { to: readonly string[]; checks: string[] }[] = [];
    const email = new LocalEmailNotifier({
      outboxFile,
      recipients: ['oncall@example.com', { address: 'cto@example.com', severities: ['P1'] }],
      print: (e) =>
        sent.push({ to: e.to, checks: (e.notifications ?? [e.notification]).map((n) => n.check) }),
    });
    // api, disk and backup are P1; db is P2.
    await email.deliverBatch(run);
    expect(sent).toEqual([
      { to: ['oncall@example.com'], checks: ['api', 'db', 'disk', 'backup'] },
      { to: ['cto@example.com'], checks: ['api', 'disk', 'backup'] },
    ]);
    sent.length = 0;
    // A single P2 alert goes to the address that gets everything only.
    const p2 = run[2] as AlertNotification;
    expect(email.accepts(p2)).toBe(true);
    await email.deliver(p2);
    expect(sent).toEqual([{ to: ['oncall@example.com'], checks: ['db'] }]);
    const onlyCto = new LocalEmailNotifier({
      outboxFile,
      recipients: [{ address: 'cto@example.com', severities: ['P1'] }],
    });
    expect(onlyCto.accepts(p2)).toBe(false);
  });

  it('locally: one email for the run, every notification in it', async () => {
    const dir = await tempDir();
    const outboxFile = join(dir, 'outbox.jsonl');
    const printed: string[] = [];
    const email = new LocalEmailNotifier({
      outboxFile,
      recipients: ['oncall@example.com'],
      print: (e) => printed.push(e.subject),
    });
    await email.deliverBatch(run);
    const lines = (await readFile(outboxFile, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    const written = JSON.parse(lines[0] as string);
    expect(written.notifications.map((n: AlertNotification) => n.check)).toEqual([
      'api',
      'db',
      'disk',
      'backup',
    ]);
    expect(written.body.indexOf('api')).toBeLessThan(written.body.indexOf('RESOLVED: backup'));
    expect(printed).toHaveLength(1);
  });

  it('on AWS: one publish for the run, severity attribute the most urgent, under 256 KB', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const big = Array.from({ length: 2000 }, (_, i) =>
      note(`svc-${i}`, { details: { blob: 'x'.repeat(500) } }),
    );
    const notifier = new SnsNotifier({
      client: new SNSClient({ region: 'us-east-1' }),
      topicArn: 'arn:x',
    });
    await notifier.deliverBatch(run);
    await notifier.deliverBatch(big);
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.MessageAttributes?.['severity']?.StringValue).toBe('P1');
    expect(calls[0]?.MessageAttributes?.['event']?.StringValue).toBe('digest');
    const first = JSON.parse(calls[0]?.Message ?? '{}');
    expect(JSON.parse(first.default).digest).toHaveLength(4);
    expect(first.email).toContain('RESOLVED: backup');
    for (const call of calls) {
      expect(Buffer.byteLength(call?.Message ?? '')).toBeLessThan(256 * 1024);
      expect(call?.Subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    }
    const second = JSON.parse(JSON.parse(calls[1]?.Message ?? '{}').default);
    expect(second.truncated).toBeGreaterThan(0);
  });
});

describe('grouped and suppressing notifications, as channels render them', () => {
  const grouped = note('morning/group/2026-11-22T01:00:00.000Z', {
    name: '3 checks failing: connect ETIMEDOUT at 10.0.4.7',
    summary: '3 checks failing: connect ETIMEDOUT at 10.0.4.7',
    dedupKey: 'morning/group/2026-11-22T01:00:00.000Z',
    severity: 'P1',
    group: {
      cause: 'connect ETIMEDOUT at 10.0.4.7',
      count: 3,
      members: ['a', 'b', 'c'].map((check) => ({
        check,
        status: 'critical' as const,
        severity: 'P1' as const,
        summary: `GET http://10.0.4.7/${check}: connect ETIMEDOUT`,
      })),
    },
  });

  it('PagerDuty: the group key as dedup key, the members in custom details', () => {
    const event = pagerDutyEventFor(grouped, 'K'.repeat(32), { stage: 'prod' });
    expect(event.dedup_key).toBe('prod/morning/group/2026-11-22T01:00:00.000Z');
    expect(event.payload?.summary).toBe('[prod] 3 checks failing: connect ETIMEDOUT at 10.0.4.7');
    expect(event.payload?.custom_details).toMatchObject({
      count: 3,
      cause: 'connect ETIMEDOUT at 10.0.4.7',
    });
  });

  it('email: the cause, then the members worst first', () => {
    const body = emailBody(grouped);
    expect(body).toContain('They share: connect ETIMEDOUT at 10.0.4.7');
    expect(body).toMatch(/CRITICAL +P1 {2}a: GET http:\/\/10\.0\.4\.7\/a/);
    expect(body).toContain('dedup key morning/group/2026-11-22T01:00:00.000Z');
  });

  it('a parent names the dependents it suppressed', () => {
    const parent = note('erp-db', { severity: 'P1', suppressedDependents: ['app-1', 'app-2'] });
    expect(pagerDutyEventFor(parent, 'K'.repeat(32)).payload?.summary).toContain(
      '(suppressed 2 dependent checks)',
    );
    expect(emailBody(parent)).toContain(
      'Suppressed 2 dependent checks (dependsOn erp-db): app-1, app-2',
    );
  });
});
