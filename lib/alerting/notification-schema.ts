import * as z from 'zod';
import { severities } from '../config/fields.ts';
import { statuses } from '../core/status.ts';
import type { AlertNotification } from './notification.ts';

/** Validates a notification read back from a store or received from another process. */
export const AlertNotificationSchema = z.object({
  id: z.string().min(1),
  check: z.string().min(1),
  name: z.string().optional(),
  suite: z.string().nullable(),
  event: z.enum(['trigger', 'resolve', 'reminder']),
  status: z.enum(statuses),
  previousStatus: z.enum(statuses),
  firstRun: z.boolean().optional(),
  severity: z.enum(severities),
  summary: z.string(),
  runbook: z.string().optional(),
  details: z.record(z.string(), z.unknown()),
  since: z.string(),
  at: z.string(),
  dedupKey: z.string().min(1).optional(),
  group: z
    .object({
      cause: z.string().optional(),
      count: z.int().min(0),
      members: z.array(
        z.object({
          check: z.string(),
          name: z.string().optional(),
          status: z.enum(statuses),
          severity: z.enum(severities),
          summary: z.string(),
        }),
      ),
    })
    .optional(),
  suppressedDependents: z.array(z.string()).optional(),
}) satisfies z.ZodType<AlertNotification>;
