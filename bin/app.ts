#!/usr/bin/env node
// The CDK app: `npx cdk deploy -c config=healthchecks.yaml`. A bad config fails synth with the
// same `field.path: problem` lines as `healthcheck validate`, and no stack trace.
import { existsSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../lib/core/errors.ts';
import { appOptionsFromContext, vpcPlacementFromContext } from '../lib/infra/app-context.ts';
import { HealthCheckerStack } from '../lib/infra/health-checker-stack.ts';

const app = new App();
try {
  const options = appOptionsFromContext(app, existsSync);
  new HealthCheckerStack(app, options.stackName, {
    description: 'Infrastructure health checker: scheduled runbook checks with alerting',
    healthChecker: options.healthChecker,
    vpcPlacement: vpcPlacementFromContext,
  });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(64);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
