import * as z from 'zod';
import { checkPlugins } from '../checks/registry.ts';
import { defaultConcurrency, defaultConcurrencyPerTarget } from '../core/concurrency.ts';
import { NotificationsSchema } from '../notify/registry.ts';
import { checkDefaults } from './check-common.ts';
import {
  CronExpressionText,
  Grouping,
  Id,
  MaxReminders,
  ReminderInterval,
  ScheduleExpressionText,
  Severity,
  severities,
  TimeZone,
} from './fields.ts';

type AnyCheckSchema = (typeof checkPlugins)[number]['schema'];

const checkSchemas = checkPlugins.map((plugin) => plugin.schema) as unknown as [
  AnyCheckSchema,
  ...AnyCheckSchema[],
];

export const CheckSchema = z.discriminatedUnion('type', checkSchemas);

export const SuiteSchema = z.strictObject({
  id: Id,
  description: z.string().optional(),
  schedule: ScheduleExpressionText.describe('When the suite runs, in the config time zone'),
  checks: z.array(Id).min(1).describe('Ids of the checks this suite runs'),
  grouping: Grouping.optional().describe('Grouping for this suite (default: defaults.grouping)'),
});

export const MaintenanceWindowSchema = z.strictObject({
  id: Id.optional(),
  description: z.string().optional(),
  schedule: CronExpressionText.describe('When the window opens, e.g. cron(0 2 ? * SAT#1 *)'),
  durationMinutes: z
    .int()
    .min(1)
    .max(7 * 24 * 60),
  checks: z.array(Id).min(1).optional().describe('Checks held by this window (default: all)'),
  timezone: TimeZone.optional(),
});

/** `notifications:` comes from the notifier registry (lib/notify/registry.ts), like checks. */
export { NotificationsSchema };

export const DefaultsSchema = z.strictObject({
  timeoutSeconds: z.number().positive().max(900).default(checkDefaults.timeoutSeconds),
  severity: Severity.default(checkDefaults.severity),
  failureThreshold: z.int().min(1).max(100).default(checkDefaults.failureThreshold),
  successThreshold: z.int().min(1).max(100).default(checkDefaults.successThreshold),
  remindEvery: z
    .union([
      ReminderInterval,
      z
        .partialRecord(Severity, ReminderInterval)
        .describe('Per severity, e.g. { P1: 30m, P2: 4h }'),
    ])
    .optional()
    .describe('Re-notify while failing at this interval: one for all, or per severity'),
  maxReminders: z
    .union([MaxReminders, z.partialRecord(Severity, MaxReminders)])
    .optional()
    .describe('Cap on reminders per incident: one for all, or per severity'),
  grouping: Grouping.default({ enabled: true, minChecks: 5 }),
  concurrency: z.int().min(1).max(1024).default(defaultConcurrency).describe('Checks run at once'),
  concurrencyPerTarget: z
    .int()
    .min(1)
    .max(1024)
    .default(defaultConcurrencyPerTarget)
    .describe('Checks run at once against one target host:port (a shared gateway, one database)'),
  retentionDays: z.int().min(1).max(3650).default(90).describe('How long run history is kept'),
});

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  timezone: TimeZone.default('UTC'),
  defaults: DefaultsSchema.default(DefaultsSchema.parse({})),
  suites: z.array(SuiteSchema).default([]),
  checks: z.array(CheckSchema).min(1),
  notifications: NotificationsSchema.default({ email: [] }),
  maintenanceWindows: z.array(MaintenanceWindowSchema).default([]),
});

export type ConfigInput = z.input<typeof ConfigSchema>;
export type ParsedConfig = z.output<typeof ConfigSchema>;
export type ParsedCheck = ParsedConfig['checks'][number];
export type Suite = z.output<typeof SuiteSchema>;
export type MaintenanceWindow = z.output<typeof MaintenanceWindowSchema>;
export type { NotificationsConfig } from '../notify/registry.ts';
export { severities };
