import { alertmanagerCheck } from './alertmanager/index.ts';
import { backupCheck } from './backup/index.ts';
import { connectionPoolCheck } from './connection-pool/index.ts';
import { diskCheck } from './disk/index.ts';
import { httpCheck } from './http/index.ts';
import { kubernetesPodsCheck } from './kubernetes-pods/index.ts';
import type { CheckPlugin } from './plugin.ts';
import { prometheusCheck } from './prometheus/index.ts';
import { sqlCheck } from './sql/index.ts';
import { tlsCertificateCheck } from './tls-certificate/index.ts';

/**
 * Every check type. Adding one means adding its folder and one entry here; nothing else
 * dispatches on the type name.
 */
export const checkPlugins = [
  diskCheck,
  connectionPoolCheck,
  tlsCertificateCheck,
  backupCheck,
  kubernetesPodsCheck,
  sqlCheck,
  prometheusCheck,
  httpCheck,
  alertmanagerCheck,
] as const;

export type CheckConfigInput = import('zod').input<(typeof checkPlugins)[number]['schema']>;

const byType = new Map<string, CheckPlugin>(
  checkPlugins.map((plugin) => [plugin.type, plugin as unknown as CheckPlugin]),
);

export function findCheckPlugin(type: string): CheckPlugin | undefined {
  return byType.get(type);
}

export function checkTypeNames(): string[] {
  return [...byType.keys()];
}
