import type { CheckConfig } from '../config/load-config.ts';
import type { CheckGrant, S3ReadGrant } from './plugin.ts';
import { findCheckPlugin } from './registry.ts';

/** Everything the plugins declare these checks need on AWS (`grants`). */
export function checkGrants(checks: readonly CheckConfig[]): CheckGrant[] {
  return checks.flatMap((check) => {
    const declare = findCheckPlugin(check.type)?.grants as
      | ((config: unknown) => readonly CheckGrant[])
      | undefined;
    return [...(declare?.(check) ?? [])];
  });
}

/** The S3 reads among them, without duplicates. */
export function s3Reads(checks: readonly CheckConfig[]): S3ReadGrant[] {
  const reads = new Map<string, S3ReadGrant>();
  for (const grant of checkGrants(checks)) {
    if (grant.kind === 's3-read') reads.set(`${grant.bucket}/${grant.prefix}`, grant);
  }
  return [...reads.values()];
}
