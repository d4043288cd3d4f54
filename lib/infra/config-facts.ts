import { type CheckGrant, checkGrants, isIamGrant } from '../checks/grants.ts';
import type { IamGrant } from '../checks/plugin.ts';
import { packageUse } from '../checks/runtime-packages.ts';
import type { Config } from '../config/load-config.ts';
import { secretIds } from '../config/references.ts';

/** What the stack needs to know about a validated config, derived once at synth time. */
export type S3ReadGrant = Extract<CheckGrant, { kind: 's3-read' }>;
export type EksGrant = Extract<CheckGrant, { kind: 'eks' }>;

function kindOf(grant: CheckGrant): string | undefined {
  return isIamGrant(grant) ? undefined : grant.kind;
}

/** Secret ids referenced by checks (resolved by the runner at run time). */
export function checkSecretIds(config: Config): string[] {
  return secretIds(scheduledChecks(config));
}

/** The checks of some suite: the only ones that ever run on AWS. */
function scheduledChecks(config: Config): Config['checks'] {
  const scheduled = new Set(config.suites.flatMap((suite) => suite.checks));
  return config.checks.filter((check) => scheduled.has(check.id));
}

/** The AWS access the scheduled checks declare (S3 prefixes, EKS clusters). */
export function s3ReadGrants(config: Config): S3ReadGrant[] {
  return checkGrants(scheduledChecks(config)).filter(
    (grant): grant is S3ReadGrant => kindOf(grant) === 's3-read',
  );
}

export function eksGrants(config: Config): EksGrant[] {
  return checkGrants(scheduledChecks(config)).filter(
    (grant): grant is EksGrant => kindOf(grant) === 'eks',
  );
}

/** Plain IAM actions the scheduled checks declare (e.g. aps:QueryMetrics on a workspace). */
export function iamGrants(config: Config): IamGrant[] {
  return checkGrants(scheduledChecks(config)).filter(isIamGrant);
}

/** Declared heavy packages (drivers, client-node) that no check in the config uses. */
export function unusedPackages(config: Config): readonly string[] {
  return packageUse(config.checks).unused;
}

export function needsKubernetesClient(config: Config): boolean {
  return !unusedPackages(config).includes('@kubernetes/client-node');
}
