import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { appOptionsFromContext, vpcPlacementFromContext } from '../../lib/infra/app-context.ts';
import { HealthCheckerStack } from '../../lib/infra/health-checker-stack.ts';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** The README's VPC path: imported by ids, endpoints created (the most resources, most findings). */
const vpcContext = {
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: 'subnet-aaaa1111,subnet-bbbb2222',
  routeTableIds: 'rtb-0123456789abcdef0',
  vpcEndpoints: 'true',
};

/** The app's stack for the example config under AwsSolutions, as bin/app.ts builds it. */
function nag(
  acknowledgeNagFindings: boolean,
  context: Record<string, string> = {},
): { passed: boolean; findings: string[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'healthcheck-nag-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    context: { 'aws:cdk:bundling-stacks': [], config: 'examples/healthchecks.yaml', ...context },
  });
  const options = appOptionsFromContext(app, () => true);
  new HealthCheckerStack(app, 'Nag', {
    healthChecker: { ...options.healthChecker, acknowledgeNagFindings },
    vpcPlacement: vpcPlacementFromContext,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let report = '';
  try {
    app.synth();
  } catch (error) {
    report = (error as Error).message;
    if (!report.includes('(AwsSolutions)')) throw error;
  }
  const findings = [...report.matchAll(/Acknowledge with 'AwsSolutions::([^']+)'/g)].map(
    (m) => m[1] ?? '',
  );
  return { passed: report === '', findings: [...new Set(findings)].sort() };
}

// cdk-nag's rule evaluation takes tens of seconds on a loaded 2-core machine.
describe('cdk-nag AwsSolutions', () => {
  it('passes with zero unacknowledged findings', () => {
    expect(nag(true)).toEqual({ passed: true, findings: [] });
  }, 240_000);

  it('passes with the ops topic paging over HTTPS and its own addresses', () => {
    const ops = {
      opsEmails: 'sre-lead@example.vn',
      opsPagerUrl:
        'https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue',
    };
    expect(nag(true, ops)).toEqual({ passed: true, findings: [] });
  }, 240_000);

  it('passes in a VPC with endpoints (the private-network path)', () => {
    expect(nag(true, vpcContext)).toEqual({ passed: true, findings: [] });
  }, 240_000);

  it('passes with the status page behind CloudFront too', () => {
    expect(nag(true, { statusPage: 'cloudfront' })).toEqual({ passed: true, findings: [] });
  }, 180_000);

  it('acknowledges exactly the findings the design produces, each for a written reason', () => {
    const raw = nag(false, { ...vpcContext, statusPage: 'cloudfront' });
    expect(raw.passed).toBe(false);
    // Every acknowledgement answers a real finding, and there is no finding without one.
    expect(raw.findings).toEqual(
      [
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<HealthCheckerRunner9C187203.Arn>:*]',
        'AwsSolutions-IAM5[Resource::<HealthCheckerWatchdogFunction6F686409.Arn>:*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:*/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::erp-backups/db/erp_prod_*]',
        'AwsSolutions-SQS3',
        // The status page: no access-log bucket; CloudFront without geo restriction, logs, a
        // custom domain's certificate or a WAF web ACL (see lib/infra/status-page-bucket.ts).
        'AwsSolutions-S1',
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR2',
        'AwsSolutions-CFR3',
        'AwsSolutions-CFR4',
      ].sort(),
    );
  }, 240_000);
});
