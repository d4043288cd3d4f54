import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { HealthChecker } from '../../lib/infra/health-checker.ts';
import type { HealthCheckerProps } from '../../lib/infra/health-checker-props.ts';
import { referenceTime } from './synth-helpers.ts';

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** Synthesizes the example config's stack under AwsSolutions; returns the findings' ids. */
function nag(
  acknowledgeNagFindings: boolean,
  props: Partial<HealthCheckerProps> = {},
): { passed: boolean; findings: string[] } {
  const outdir = mkdtempSync(join(tmpdir(), 'healthcheck-nag-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Nag');
  new HealthChecker(stack, 'Checker', {
    configFile: 'examples/healthchecks.yaml',
    periodReferenceTime: referenceTime,
    acknowledgeNagFindings,
    ...props,
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
    expect(nag(true).passed).toBe(true);
  }, 180_000);

  it('passes with the status page behind CloudFront too', () => {
    expect(nag(true, { statusPage: { cloudFront: true } }).passed).toBe(true);
  }, 180_000);

  it('acknowledges exactly the findings the design produces, each for a written reason', () => {
    const raw = nag(false, { statusPage: { cloudFront: true } });
    expect(raw.passed).toBe(false);
    // Every acknowledgement answers a real finding, and there is no finding without one.
    expect(raw.findings).toEqual(
      [
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<CheckerRunner44DD4CB7.Arn>:*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::erp-backups/*]',
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
  }, 180_000);
});
