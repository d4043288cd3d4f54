import type { AlertNotification } from '../../alerting/notification.ts';
import { type Severity, severities } from '../../config/fields.ts';
import { loadConfigFile } from '../../config/load-config.ts';
import { errorMessage, UsageError } from '../../core/errors.ts';
import { type Command, configOption, configPath } from '../command.ts';
import { localNotifiers, stateDirOf } from '../local-alerting.ts';
import { renderFullEmail } from '../render-emails.ts';

/** sysexits EX_UNAVAILABLE: a channel did not accept the test alert. */
export const exitUnavailable = 69;

export const notifyTestCheckId = 'healthcheck-notify-test';

export const notifyTestCommand: Command = {
  name: 'notify-test',
  summary: 'send a synthetic alert through the configured channels, then resolve it',
  usage: [
    'healthcheck notify-test --config FILE [--severity P1..P4] [--state-dir DIR]',
    '',
    `  Triggers "${notifyTestCheckId}" (PagerDuty when the severity pages; email is printed and`,
    '  written to the outbox) and resolves it right away. Exit 0 when every channel accepted both,',
    `  ${exitUnavailable} otherwise.`,
  ].join('\n'),
  options: { ...configOption, severity: { type: 'string' }, 'state-dir': { type: 'string' } },
  async run(values, io) {
    const severity = (values['severity'] ?? 'P1') as Severity;
    if (!severities.includes(severity)) {
      throw new UsageError(`--severity must be one of ${severities.join(', ')}`);
    }
    const config = await loadConfigFile(configPath(values, io), { env: io.env });
    const notifiers = await localNotifiers(config, {
      stateDir: stateDirOf(values, io),
      io,
      // The point of a test is to see the message: always in full.
      print: (email) => io.stdout.write(renderFullEmail(email)),
    });
    const now = new Date().toISOString();
    const trigger: AlertNotification = {
      id: `${notifyTestCheckId}:trigger:${now}`,
      check: notifyTestCheckId,
      name: 'healthcheck notification test',
      suite: null,
      event: 'trigger',
      status: 'critical',
      previousStatus: 'ok',
      severity,
      summary: 'synthetic test alert from healthcheck notify-test; it resolves itself',
      details: { synthetic: true },
      since: now,
      at: now,
    };
    const resolve: AlertNotification = {
      ...trigger,
      id: `${notifyTestCheckId}:resolve:${now}`,
      event: 'resolve',
      status: 'ok',
      previousStatus: 'critical',
    };
    let failures = 0;
    for (const notifier of notifiers.filter((n) => n.accepts(trigger))) {
      for (const n of [trigger, resolve]) {
        try {
          await notifier.deliver(n);
          io.stdout.write(`${notifier.channel}: ${n.event} accepted\n`);
        } catch (error) {
          failures++;
          io.stderr.write(
            `${notifier.channel}: ${n.event} NOT delivered: ${errorMessage(error)}\n`,
          );
          break;
        }
      }
    }
    if (!notifiers.some((n) => n.channel === 'pagerduty')) {
      io.stdout.write('pagerduty: not configured (notifications.pagerduty)\n');
    } else if (!notifiers.some((n) => n.channel === 'pagerduty' && n.accepts(trigger))) {
      io.stdout.write(
        `pagerduty: ${severity} does not page (notifications.pagerduty.severities)\n`,
      );
    }
    return failures > 0 ? exitUnavailable : 0;
  },
};
