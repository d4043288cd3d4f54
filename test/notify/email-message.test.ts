import { describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../lib/alerting/notification.ts';
import { asciiLine, toAscii, truncateBytes } from '../../lib/notify/ascii-text.ts';
import { emailBody, emailSubject } from '../../lib/notify/email-message.ts';

const base: AlertNotification = {
  id: 'root-disk:trigger:2026-11-22T01:00:00.000Z',
  check: 'root-disk',
  name: 'Ổ đĩa gốc của máy chủ Đà Nẵng',
  suite: 'morning',
  event: 'trigger',
  status: 'critical',
  previousStatus: 'ok',
  severity: 'P2',
  summary: '/ is 91% full (critical at 80%)',
  runbook: 'https://wiki/runbooks#disk',
  details: { usedPercent: 91 },
  since: '2026-11-22T00:00:00.000Z',
  at: '2026-11-22T01:30:00.000Z',
};

describe('email messages', () => {
  it('transliterates Vietnamese, including đ/Đ', () => {
    expect(toAscii('Ổ đĩa gốc Đà Nẵng – kiểm tra')).toBe('O dia goc Da Nang - kiem tra');
  });

  it('reads «quotes», dashes and emoji as ASCII instead of "?"', () => {
    const subject = emailSubject({
      ...base,
      name: '🔥 Sao lưu «ERP» — đêm qua ⚠️ 👩🏽‍💻',
      summary: 'backup “missing”…',
    });
    expect(subject).toBe(
      '[P2] ALERT CRITICAL: Sao luu "ERP" - dem qua (root-disk) - backup "missing"...',
    );
    expect(subject).not.toContain('?');
    // Scripts without an ASCII reading still show that something was there.
    expect(toAscii('日本')).toBe('??');
  });

  it('subjects are ASCII, one line, under 100 characters', () => {
    const subjects = [
      emailSubject(base),
      emailSubject({ ...base, summary: `${'rất dài '.repeat(40)}\nsecond line` }),
      emailSubject({ ...base, event: 'resolve', status: 'ok' }),
    ];
    for (const s of subjects) {
      expect(s).toMatch(/^[\x20-\x7e]+$/);
      expect(s.length).toBeLessThan(100);
    }
    expect(subjects[0]).toBe(
      '[P2] ALERT CRITICAL: O dia goc cua may chu Da Nang (root-disk) - / is 91% full (critical at 80%)',
    );
    expect(subjects[2]).toMatch(/^\[P2\] RESOLVED ok: /);
  });

  it('the body says what broke, since when, the runbook and how to silence', () => {
    const body = emailBody(base);
    expect(body).toContain('Ổ đĩa gốc của máy chủ Đà Nẵng (root-disk) is now CRITICAL (was ok).');
    expect(body).toContain('Failing since 2026-11-22 00:00 +00:00 (1h30m)');
    expect(body).toContain('https://wiki/runbooks#disk');
    expect(body).toContain('How to silence');
    expect(body).toContain('"usedPercent": 91');
    const resolved = emailBody({
      ...base,
      event: 'resolve',
      status: 'ok',
      previousStatus: 'critical',
    });
    expect(resolved).toMatch(/^RESOLVED: .* is ok again\./);
    expect(resolved).not.toContain('How to silence');
  });

  it('writes times in the config time zone with the offset', () => {
    const body = emailBody(base, { timeZone: 'Asia/Ho_Chi_Minh' });
    expect(body).toContain('Failing since 2026-11-22 07:00 +07:00 (1h30m).');
    expect(body).toContain('At: 2026-11-22 08:30 +07:00');
    expect(body).not.toContain('T00:00:00.000Z');
  });

  it('does not claim a check that never ran before "was ok"', () => {
    const first = emailBody({ ...base, firstRun: true });
    expect(first).toContain('(root-disk) is now CRITICAL on its first recorded run.');
    expect(first).not.toContain('was ok');
    expect(emailBody({ ...base, previousStatus: 'warning' })).toContain(
      'is now CRITICAL (was warning).',
    );
    expect(emailBody({ ...base, event: 'reminder', previousStatus: 'critical' })).toContain(
      '(root-disk) is still CRITICAL.\n',
    );
  });

  it('cuts long text without breaking characters', () => {
    const cut = truncateBytes('đ'.repeat(1000), 101, '…');
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(101);
    expect(cut).not.toContain('\uFFFD');
    expect(asciiLine('a b c', 10)).toBe('a b c');
  });
});
