import * as z from 'zod';

/**
 * The delivery schedule's event (lib/infra/delivery-schedule.ts): deliver what waits in the
 * outboxes without running checks. `replay: true` also resends what channels refused for good
 * (after the routing key was fixed), optionally limited to `checks` and `channel`.
 */
export const DeliveryEvent = z.strictObject({
  deliver: z.literal('pending'),
  replay: z.boolean().optional(),
  checks: z.array(z.string().min(1)).optional(),
  channel: z.string().min(1).optional(),
});

export type DeliveryEvent = z.output<typeof DeliveryEvent>;

export function isDeliveryEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && 'deliver' in event;
}
