import { z } from 'zod';
import { Percent } from '../../config/fields.ts';
import type { CheckConfigFor } from '../plugin.ts';

export const diskSources = ['local'] as const;

export const diskFields = {
  source: z.enum(diskSources).default('local').describe('Where usage comes from'),
  paths: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('source local: paths whose filesystems are checked'),
  warningPercent: Percent.default(70),
  criticalPercent: Percent.default(80),
};

export type DiskCheckConfig = CheckConfigFor<typeof diskFields>;

export function refineDiskConfig(
  config: z.output<z.ZodObject<typeof diskFields>>,
  ctx: z.RefinementCtx,
): void {
  if (config.warningPercent > config.criticalPercent) {
    ctx.addIssue({
      code: 'custom',
      path: ['warningPercent'],
      message: `must not exceed criticalPercent (${config.criticalPercent})`,
    });
  }
  if (config.source === 'local' && !config.paths) {
    ctx.addIssue({ code: 'custom', path: ['paths'], message: 'required when source is local' });
  }
}
