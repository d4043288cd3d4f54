import type { CheckContext } from '../plugin.ts';
import type { KubernetesPodsConfig } from './config.ts';
import type { PodRules } from './evaluate-pod.ts';

const minute = 60_000;

/** OOM kills since the previous run, or within the window, whichever reaches further back. */
function oomSince(config: KubernetesPodsConfig, context: CheckContext): number {
  const windowStart = context.now.getTime() - config.oomWindowMinutes * minute;
  const previous = context.previous ? Date.parse(context.previous.startedAt) : Number.NaN;
  return Number.isNaN(previous) ? windowStart : Math.min(previous, windowStart);
}

export function podRules(config: KubernetesPodsConfig, context: CheckContext): PodRules {
  return {
    nowMs: context.now.getTime(),
    maxRestarts: config.maxRestarts,
    pendingMs: config.pendingMinutes * minute,
    notReadyMs: config.notReadyMinutes * minute,
    terminatingMs: config.terminatingMinutes * minute,
    oomSinceMs: oomSince(config, context),
  };
}
