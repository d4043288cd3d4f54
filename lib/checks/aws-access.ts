import type { CheckConfig } from '../config/load-config.ts';
import type { AwsAccess, S3Read } from './plugin.ts';
import { findCheckPlugin } from './registry.ts';

/** The S3 reads the plugins declare for these checks, without duplicates. */
export function s3Reads(checks: readonly CheckConfig[]): S3Read[] {
  const reads = new Map<string, S3Read>();
  for (const check of checks) {
    const declare = findCheckPlugin(check.type)?.awsAccess as
      | ((config: unknown) => AwsAccess)
      | undefined;
    for (const read of declare?.(check).s3Read ?? []) {
      reads.set(`${read.bucket}/${read.prefix}`, read);
    }
  }
  return [...reads.values()];
}
