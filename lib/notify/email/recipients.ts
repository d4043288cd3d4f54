import * as z from 'zod';
import { Severity, type Severity as SeverityName } from '../../config/fields.ts';

/**
 * One `notifications.email` entry: an address that gets every severity, or an address with the
 * severities it gets (`{address: cto@example.vn, severities: [P1]}`). Deployed, the choice is the
 * SNS subscription's filter policy on the message's `severity` attribute.
 */
export const EmailRecipientSchema = z.union([
  z.email(),
  z
    .object({
      address: z.email(),
      severities: z
        .array(Severity)
        .min(1)
        .describe('Only alerts of these severities (default: every severity)'),
    })
    .strict(),
]);
export type EmailRecipientEntry = z.infer<typeof EmailRecipientSchema>;

export interface EmailRecipient {
  readonly address: string;
  /** Undefined: every severity. */
  readonly severities?: readonly SeverityName[];
}

export function emailRecipients(entries: readonly EmailRecipientEntry[]): EmailRecipient[] {
  return entries.map((e) => (typeof e === 'string' ? { address: e } : e));
}

export function emailAddresses(entries: readonly EmailRecipientEntry[]): string[] {
  return emailRecipients(entries).map((r) => r.address);
}

export function receives(recipient: EmailRecipient, severity: SeverityName): boolean {
  return recipient.severities === undefined || recipient.severities.includes(severity);
}
