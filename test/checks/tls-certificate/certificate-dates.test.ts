import { describe, expect, it } from 'vitest';
import type { CertificateFacts } from '../../../lib/checks/tls-certificate/certificate-facts.ts';
import { evaluateCertificate } from '../../../lib/checks/tls-certificate/evaluate-certificate.ts';

function facts(notBefore: string, notAfter: string): CertificateFacts {
  return {
    subject: 'CN=erp.company.vn',
    issuer: 'CN=Test CA',
    notBefore,
    notAfter,
    serialNumber: '01',
    fingerprint256: 'AA',
    subjectAltNames: ['DNS:erp.company.vn'],
    notBeforeDate: new Date(notBefore),
    notAfterDate: new Date(notAfter),
    chain: [],
  } as unknown as CertificateFacts;
}

const trusted = { authorized: true };
const thresholds = { warningDays: 30, criticalDays: 7 };

describe('certificate dates in the config time zone', () => {
  it('names the expiry date as it is in the config zone, not in UTC', () => {
    // 20:00 UTC on the 5th is already the 6th in Ho Chi Minh City.
    const cert = facts('2026-09-01T00:00:00Z', '2026-12-05T20:00:00Z');
    const now = new Date('2026-11-22T01:00:00Z');
    const hcm = evaluateCertificate(
      'erp.company.vn:443',
      cert,
      trusted,
      now,
      thresholds,
      'Asia/Ho_Chi_Minh',
    );
    expect(hcm.summary).toContain('(2026-12-06)');
    const utc = evaluateCertificate('erp.company.vn:443', cert, trusted, now, thresholds);
    expect(utc.summary).toContain('(2026-12-05)');
  });

  it('gives a not-yet-valid start in the zone with the offset', () => {
    const cert = facts('2026-11-23T01:00:00Z', '2027-03-01T00:00:00Z');
    const outcome = evaluateCertificate(
      'erp.company.vn:443',
      cert,
      trusted,
      new Date('2026-11-22T01:00:00Z'),
      thresholds,
      'Asia/Ho_Chi_Minh',
    );
    expect(outcome.status).toBe('critical');
    expect(outcome.summary).toContain('not valid until 2026-11-23 08:00 +07:00');
  });
});
