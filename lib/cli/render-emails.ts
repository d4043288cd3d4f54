import type { LocalEmail } from '../notify/local-email-notifier.ts';
import type { Palette } from './colors.ts';

function recipients(email: LocalEmail): string {
  return email.to.length > 0 ? email.to.join(', ') : '(no recipients configured)';
}

/** One email in full, as a mail client would show it. */
export function renderFullEmail(email: LocalEmail): string {
  return `\n--- email to ${recipients(email)}\nSubject: ${email.subject}\n\n${email.body}---\n`;
}

/**
 * The emails a run "sent" locally: one line each (who, subject) and where the full text is, so a
 * run with five alerts stays readable; `verbose` prints every message in full.
 */
export function renderEmails(
  emails: readonly LocalEmail[],
  options: { verbose: boolean; palette: Palette },
): string {
  if (emails.length === 0) return '';
  if (options.verbose) return emails.map(renderFullEmail).join('');
  const outbox = emails[0]?.outboxFile ?? '';
  const noRecipients = emails.every((e) => e.to.length === 0);
  const header = `Emails (${emails.length}${noRecipients ? ', no notifications.email recipients configured' : ''}; full text in ${outbox}, or run with --verbose):`;
  const lines = emails.map((e) =>
    noRecipients ? `  ${e.subject}` : `  to ${recipients(e)}: ${e.subject}`,
  );
  return `\n${options.palette.bold(header)}\n${lines.join('\n')}\n`;
}
