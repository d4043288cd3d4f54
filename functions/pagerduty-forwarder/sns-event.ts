import { z } from 'zod';

/** The part of an SNS -> Lambda event the forwarder reads. */
export const SnsEventSchema = z.object({
  Records: z
    .array(
      z.object({
        EventSource: z.literal('aws:sns').optional(),
        Sns: z.object({
          MessageId: z.string(),
          Message: z.string(),
          MessageAttributes: z
            .record(z.string(), z.object({ Type: z.string(), Value: z.string() }))
            .optional(),
        }),
      }),
    )
    .min(1),
});

export type SnsEvent = z.infer<typeof SnsEventSchema>;
