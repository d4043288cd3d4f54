import { mapWithConcurrency } from '../../core/semaphore.ts';
import type { KubeClient } from '../../kubernetes/kube-client.ts';
import { dfUsedPercent, type FilesystemUsage } from './filesystem-usage.ts';
import type { SourceReading } from './source-reading.ts';

/** The fields of a kubelet stats/summary FsStats the check reads. */
interface FsStats {
  readonly availableBytes?: number;
  readonly capacityBytes?: number;
  readonly usedBytes?: number;
  readonly inodesFree?: number;
  readonly inodesUsed?: number;
}

interface StatsSummary {
  readonly node?: { readonly fs?: FsStats; readonly runtime?: { readonly imageFs?: FsStats } };
  readonly pods?: readonly {
    readonly volume?: readonly (FsStats & {
      readonly pvcRef?: { readonly name?: string; readonly namespace?: string };
    })[];
  }[];
}

function usage(name: string, fs: FsStats | undefined): FilesystemUsage | undefined {
  if (fs?.capacityBytes === undefined || fs.availableBytes === undefined) return undefined;
  const usedBytes = fs.usedBytes ?? fs.capacityBytes - fs.availableBytes;
  return {
    name,
    sizeBytes: fs.capacityBytes,
    usedBytes,
    availableBytes: fs.availableBytes,
    usedPercent: dfUsedPercent(usedBytes, fs.availableBytes),
    ...(fs.inodesUsed !== undefined &&
    fs.inodesFree !== undefined &&
    fs.inodesUsed + fs.inodesFree > 0
      ? { inodesUsedPercent: dfUsedPercent(fs.inodesUsed, fs.inodesFree) }
      : {}),
  };
}

/** Node fs, image fs (when separate) and PVC volumes from one node's summary. */
export function filesystemsFromSummary(
  node: string,
  summary: unknown,
  withPvcs: boolean,
): { node: FilesystemUsage[]; pvcs: Map<string, FilesystemUsage> } {
  const s = summary as StatsSummary;
  const nodeFs = usage(`${node} nodefs`, s.node?.fs);
  const imageStats = s.node?.runtime?.imageFs;
  // When images share the root filesystem the kubelet reports the same numbers twice.
  const separateImageFs =
    imageStats &&
    (imageStats.capacityBytes !== s.node?.fs?.capacityBytes ||
      imageStats.availableBytes !== s.node?.fs?.availableBytes);
  const imageFs = separateImageFs ? usage(`${node} imagefs`, imageStats) : undefined;
  const pvcs = new Map<string, FilesystemUsage>();
  if (withPvcs) {
    for (const pod of s.pods ?? []) {
      for (const volume of pod.volume ?? []) {
        if (!volume.pvcRef?.name) continue;
        const name = `pvc ${volume.pvcRef.namespace ?? ''}/${volume.pvcRef.name}`;
        const fs = usage(name, volume);
        if (fs) pvcs.set(name, fs);
      }
    }
  }
  return { node: [nodeFs, imageFs].filter((f) => f !== undefined), pvcs };
}

const nodesInFlight = 8;

/** Every selected node's filesystems and mounted PVCs, through the API server's node proxy. */
export async function kubeletUsage(
  client: KubeClient,
  options: { nodeSelector?: string; pvcs: boolean },
  signal: AbortSignal,
): Promise<SourceReading> {
  const nodes = await client.listNodes(
    { ...(options.nodeSelector ? { labelSelector: options.nodeSelector } : {}), pageSize: 500 },
    signal,
  );
  const names = nodes.map((n) => n.metadata?.name).filter((n): n is string => Boolean(n));
  if (names.length === 0) {
    throw new Error(
      `no nodes found${options.nodeSelector ? ` matching ${options.nodeSelector}` : ''}`,
    );
  }
  const answers = await mapWithConcurrency(names, nodesInFlight, async (node) => {
    try {
      return { node, summary: await client.nodeStatsSummary(node, signal) };
    } catch (error) {
      return { node, error: error as Error };
    }
  });
  const failures = answers.filter((a) => a.error !== undefined);
  // Every node refused: the cause is shared (RBAC, API down), so report it as the check's error.
  if (failures.length === answers.length && failures[0]?.error) throw failures[0].error;
  const filesystems: FilesystemUsage[] = [];
  const pvcs = new Map<string, FilesystemUsage>();
  for (const answer of answers) {
    if (answer.error) continue;
    const found = filesystemsFromSummary(answer.node, answer.summary, options.pvcs);
    filesystems.push(...found.node);
    for (const [name, fs] of found.pvcs) pvcs.set(name, fs);
  }
  return {
    filesystems: [...filesystems, ...pvcs.values()],
    problems: failures.map((f) => `stats from ${f.node} unavailable: ${f.error?.message ?? ''}`),
    extra: { nodes: names.length },
  };
}
