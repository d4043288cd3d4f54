import type { CheckOutcome } from '../../core/result.ts';
import type { Status } from '../../core/status.ts';
import { formatDuration } from '../../shared/format-duration.ts';
import { formatZonedTime, zonedStamp } from '../../shared/format-time.ts';
import { describeVerifyError } from '../../shared/trust-store.ts';
import type { CertificateFacts } from './certificate-facts.ts';

const dayMs = 86_400_000;

export interface TrustVerdict {
  /** The chain verifies against the system store plus `ca`. */
  readonly authorized: boolean;
  readonly authorizationError?: string;
  /** Set when the certificate does not cover the name that was asked for. */
  readonly hostnameError?: string;
}

export interface ExpiryThresholds {
  readonly warningDays: number;
  readonly criticalDays: number;
}

/**
 * Status of one presented certificate: expiry against the thresholds, and trust and host name
 * problems as `critical`, always with the days left so a renewal can be planned either way.
 * Without a verdict (a certificate file checked for its dates only) trust is not judged.
 */
export function evaluateCertificate(
  endpoint: string,
  facts: CertificateFacts,
  verdict: TrustVerdict | undefined,
  now: Date,
  thresholds: ExpiryThresholds,
  /** Dates in the summary are this zone's calendar dates (the config's). @default 'UTC' */
  timeZone = 'UTC',
): CheckOutcome {
  const day = (date: Date): string => zonedStamp(date, timeZone).date;
  const msLeft = facts.notAfterDate.getTime() - now.getTime();
  const daysLeft = Math.floor(msLeft / dayMs);
  const problems: string[] = [];
  let status: Status = 'ok';

  let expiry: string;
  if (msLeft <= 0) {
    expiry = `expired ${formatDuration(-msLeft, 'days')} ago (${day(facts.notAfterDate)})`;
    status = 'critical';
  } else {
    expiry = `expires in ${formatDuration(msLeft, 'days')} (${day(facts.notAfterDate)})`;
    if (msLeft < thresholds.criticalDays * dayMs) status = 'critical';
    else if (msLeft < thresholds.warningDays * dayMs) status = 'warning';
  }
  if (facts.notBeforeDate.getTime() > now.getTime()) {
    problems.push(`not valid until ${formatZonedTime(facts.notBeforeDate, timeZone)}`);
    status = 'critical';
  }
  // An expired leaf already says why the chain fails; don't repeat it as a trust problem.
  const expiredOnly = msLeft <= 0 && verdict?.authorizationError === 'CERT_HAS_EXPIRED';
  if (verdict && !verdict.authorized && !expiredOnly) {
    problems.push(`not trusted: ${describeVerifyError(verdict.authorizationError)}`);
    status = 'critical';
  }
  if (verdict?.hostnameError) {
    problems.push(`does not match the host name: ${verdict.hostnameError}`);
    status = 'critical';
  }

  const limits = `warning under ${thresholds.warningDays} days, critical under ${thresholds.criticalDays}`;
  const summary =
    problems.length > 0
      ? `${endpoint} certificate ${problems.join('; ')}; ${expiry}`
      : `${endpoint} certificate ${expiry}${status === 'ok' ? '' : ` (${limits})`}`;

  return {
    status,
    summary,
    details: {
      daysLeft,
      notAfter: facts.notAfter,
      notBefore: facts.notBefore,
      subject: facts.subject,
      issuer: facts.issuer,
      subjectAltNames: facts.subjectAltNames,
      serialNumber: facts.serialNumber,
      fingerprint256: facts.fingerprint256,
      ...(verdict
        ? {
            authorized: verdict.authorized,
            ...(verdict.authorizationError
              ? { authorizationError: verdict.authorizationError }
              : {}),
            hostnameMatches: verdict.hostnameError === undefined,
            ...(verdict.hostnameError ? { hostnameError: verdict.hostnameError } : {}),
          }
        : { trustChecked: false }),
      chain: facts.chain,
      warningDays: thresholds.warningDays,
      criticalDays: thresholds.criticalDays,
    },
  };
}
