import { describe, expect, it } from 'vitest';
import {
  maintenanceHold,
  maintenanceHoldFor,
  openMaintenanceWindows,
} from '../../lib/alerting/maintenance.ts';

// The ERP runbook's planned downtime: first Saturday of the month, 02:00-06:00 Vietnam time.
const windows = [
  {
    id: 'erp-downtime',
    schedule: 'cron(0 2 ? * SAT#1 *)',
    durationMinutes: 240,
    checks: ['erp-db'],
  },
];
const zone = 'Asia/Ho_Chi_Minh';

describe('maintenanceHold', () => {
  it('holds a listed check inside the window, in the config time zone', () => {
    // Saturday 2026-11-07 03:30 in Ho Chi Minh (UTC+7) is the first Saturday of November.
    const hold = maintenanceHold(windows, 'erp-db', zone, new Date('2026-11-06T20:30:00Z'));
    expect(hold).toBe('maintenance window erp-downtime until 2026-11-06T23:00:00.000Z');
  });

  it('does not hold outside the window, other checks, or the second Saturday', () => {
    expect(
      maintenanceHold(windows, 'erp-db', zone, new Date('2026-11-06T23:00:00Z')),
    ).toBeUndefined();
    expect(
      maintenanceHold(windows, 'root-disk', zone, new Date('2026-11-06T20:30:00Z')),
    ).toBeUndefined();
    expect(
      maintenanceHold(windows, 'erp-db', zone, new Date('2026-11-13T20:30:00Z')),
    ).toBeUndefined();
  });

  it('a window without checks holds every check', () => {
    const all = [{ schedule: 'cron(0 2 ? * SAT#1 *)', durationMinutes: 240 }];
    expect(maintenanceHold(all, 'anything', zone, new Date('2026-11-06T19:00:00Z'))).toMatch(
      /^maintenance window maintenanceWindows\[0\] until /,
    );
  });

  it('computes the open windows once per run, then answers per check without schedule math', () => {
    const config = [
      ...windows,
      // Weekly 7-day window in UTC for the lakehouse checks only.
      {
        id: 'lakehouse-freeze',
        schedule: 'cron(0 0 ? * MON *)',
        durationMinutes: 7 * 24 * 60,
        checks: ['minio-pending'],
        timezone: 'UTC',
      },
    ];
    const inErpDowntime = new Date('2026-11-06T20:30:00Z');
    const open = openMaintenanceWindows(config, zone, inErpDowntime);
    expect(open).toEqual([
      { name: 'erp-downtime', checks: ['erp-db'], endsAt: new Date('2026-11-06T23:00:00Z') },
      {
        name: 'lakehouse-freeze',
        checks: ['minio-pending'],
        endsAt: new Date('2026-11-09T00:00:00Z'),
      },
    ]);
    expect(maintenanceHoldFor(open, 'minio-pending')).toBe(
      'maintenance window lakehouse-freeze until 2026-11-09T00:00:00.000Z',
    );
    expect(maintenanceHoldFor(open, 'erp-db')).toMatch(/^maintenance window erp-downtime /);
    expect(maintenanceHoldFor(open, 'root-disk')).toBeUndefined();
    expect(openMaintenanceWindows(config, zone, new Date('2026-11-13T20:30:00Z'))).toHaveLength(1);
  });
});
