import type { CheckOutcome } from '../../core/result.ts';
import { worstStatus } from '../../core/status.ts';
import { describeAccess } from '../../kubernetes/cluster-access.ts';
import { connectCluster, defaultClusterDeps } from '../../kubernetes/connect.ts';
import type { ClusterDeps } from '../../kubernetes/kube-config.ts';
import { formatDuration } from '../../shared/format-duration.ts';
import type { CheckContext } from '../plugin.ts';
import { type DiskCheckConfig, defaultExcludedFsTypes } from './config.ts';
import { evaluateUsage } from './filesystem-usage.ts';
import { predictFull } from './fill-rate.ts';
import { localUsage } from './local-source.ts';
import type { SourceReading } from './source-reading.ts';

type SourceReader = (config: DiskCheckConfig, context: CheckContext) => Promise<SourceReading>;

function sourcesWith(deps: ClusterDeps): Record<DiskCheckConfig['source'], SourceReader> {
  return {
    local: async (config) => ({
      filesystems: await Promise.all((config.paths ?? []).map((path) => localUsage(path))),
    }),
    kubelet: async (config, context) => {
      const { kubeletUsage } = await import('./kubelet-source.ts');
      const client = await connectCluster(config, context.signal, deps);
      const reading = await kubeletUsage(
        client,
        {
          ...(config.nodeSelector ? { nodeSelector: config.nodeSelector } : {}),
          pvcs: config.pvcs ?? true,
        },
        context.signal,
      );
      return { ...reading, extra: { ...reading.extra, cluster: describeAccess(config) } };
    },
    prometheus: async (config, context) => {
      const { prometheusUsage } = await import('./prometheus-source.ts');
      return prometheusUsage(
        {
          url: config.url ?? '',
          ...(config.matchers ? { matchers: config.matchers } : {}),
          excludeFsTypes: config.excludeFsTypes ?? defaultExcludedFsTypes,
          includeReadOnly: config.includeReadOnly ?? false,
        },
        context.signal,
      );
    },
  };
}

/** The check with cluster dependencies injected (tests pass fixed AWS credentials/clock). */
export function createRun(deps: ClusterDeps = defaultClusterDeps) {
  const sources = sourcesWith(deps);
  return async (config: DiskCheckConfig, context: CheckContext): Promise<CheckOutcome> => {
    const reading = await sources[config.source](config, context);
    const outcome = evaluateUsage(reading.filesystems, config, {
      source: config.source,
      ...reading.extra,
    });
    let { status, summary } = outcome;
    const details: Record<string, unknown> = { ...outcome.details };
    if (config.fillHorizonHours !== undefined) {
      const filling = predictFull(
        context.now,
        reading.filesystems,
        context.previous,
        config.fillHorizonHours,
      );
      if (filling.length > 0) {
        status = worstStatus([status, 'warning']);
        const named = filling
          .slice(0, 3)
          .map((f) => `${f.name} full in ~${formatDuration(f.hoursToFull * 3_600_000, 'compact')}`);
        summary += `; filling up: ${named.join(', ')}${filling.length > 3 ? `, and ${filling.length - 3} more` : ''} at the growth since the previous run`;
        details['fillingUp'] = filling.slice(0, 20);
      }
    }
    const problems = reading.problems ?? [];
    if (problems.length > 0) {
      status = worstStatus([status, 'unknown']);
      summary += `; ${problems.length} unreadable: ${problems.slice(0, 2).join('; ')}${problems.length > 2 ? '; ...' : ''}`;
      details['problems'] = problems.slice(0, 20);
    }
    return { status, summary, details };
  };
}

export const run = createRun();
