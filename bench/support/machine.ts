import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly date: string;
}

function cpuModelFromProc(): string | undefined {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':').slice(1).join(':').trim();
  } catch {
    return undefined;
  }
}

/** What the numbers were measured on; benchmark figures mean nothing without it. */
export function machineInfo(): MachineInfo {
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpuModelFromProc() ?? os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.nproc} CPU (${m.cpuModel}), ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.platform}`;
}
