import * as z from 'zod';
import { Percent, requireNotAbove } from '../../config/fields.ts';
import {
  clusterAccessFields,
  refineClusterAccess,
  rejectClusterAccess,
} from '../../kubernetes/cluster-access.ts';
import type { CheckConfigFor } from '../plugin.ts';

export const diskSources = ['local', 'kubelet', 'prometheus'] as const;

/** node-exporter filesystems that are never "the disk filling up". */
export const defaultExcludedFsTypes = ['tmpfs', 'devtmpfs', 'ramfs', 'overlay', 'squashfs'];

export const diskFields = {
  source: z
    .enum(diskSources)
    .default('local')
    .describe('Where usage comes from: local statfs, kubelet stats summary, or Prometheus'),
  paths: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('source local: paths whose filesystems are checked'),
  ...clusterAccessFields,
  nodeSelector: z
    .string()
    .min(1)
    .optional()
    .describe('source kubelet: only nodes matching this label selector'),
  pvcs: z
    .boolean()
    .optional()
    .describe('source kubelet: also check PersistentVolumeClaims mounted by pods (default true)'),
  url: z
    .url()
    .optional()
    .describe('source prometheus: base URL, e.g. http://prometheus.monitoring:9090'),
  matchers: z
    .string()
    .min(1)
    .regex(/^[^{}]+$/, { message: 'label matchers without braces, e.g. job="node",mountpoint="/"' })
    .optional()
    .describe('source prometheus: extra PromQL label matchers, e.g. job="node-exporter"'),
  excludeFsTypes: z
    .array(z.string().regex(/^[\w.-]+$/))
    .optional()
    .describe(`source prometheus: fstypes ignored (default ${defaultExcludedFsTypes.join(', ')})`),
  includeReadOnly: z
    .boolean()
    .optional()
    .describe('source prometheus: also check read-only filesystems (default false)'),
  fillHorizonHours: z
    .number()
    .positive()
    .max(24 * 90)
    .optional()
    .describe(
      'Warn when a filesystem will be full within this many hours at its growth since the previous run',
    ),
  warningPercent: Percent.default(70),
  criticalPercent: Percent.default(80),
};

export type DiskCheckConfig = CheckConfigFor<typeof diskFields>;
type ParsedDisk = z.output<z.ZodObject<typeof diskFields>>;

const onlyFor: Record<string, (typeof diskSources)[number]> = {
  paths: 'local',
  nodeSelector: 'kubelet',
  pvcs: 'kubelet',
  url: 'prometheus',
  matchers: 'prometheus',
  excludeFsTypes: 'prometheus',
  includeReadOnly: 'prometheus',
};

export function refineDiskConfig(config: ParsedDisk, ctx: z.RefinementCtx): void {
  requireNotAbove(
    ctx,
    { path: ['warningPercent'], value: config.warningPercent },
    { name: 'criticalPercent', value: config.criticalPercent },
  );
  for (const [field, source] of Object.entries(onlyFor)) {
    if (config[field as keyof ParsedDisk] !== undefined && config.source !== source) {
      ctx.addIssue({ code: 'custom', path: [field], message: `only for source ${source}` });
    }
  }
  if (config.source === 'local' && !config.paths) {
    ctx.addIssue({ code: 'custom', path: ['paths'], message: 'required when source is local' });
  }
  if (config.source === 'prometheus' && !config.url) {
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'required when source is prometheus' });
  }
  if (config.source === 'kubelet') refineClusterAccess(config, ctx);
  else rejectClusterAccess(config, ctx, 'only for source kubelet');
}
