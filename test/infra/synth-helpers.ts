import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { HealthChecker } from '../../lib/infra/health-checker.ts';
import type { HealthCheckerProps } from '../../lib/infra/health-checker-props.ts';

/** Synths take seconds alone and a minute or more on a loaded 2-core machine. */
export const synthTimeout = 180_000;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function configFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'healthcheck-infra-'));
  dirs.push(dir);
  const file = join(dir, 'healthchecks.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** A cdk.out of the test's own, removed after the file's tests. */
export function testOutdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'healthcheck-cdk-out-'));
  dirs.push(dir);
  return dir;
}

/** An app that skips asset bundling (esbuild), so a synth takes well under a second. */
export function unbundledApp(context: Record<string, unknown> = {}): App {
  return new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [], ...context } });
}

export function synthChecker(
  yaml: string,
  props: Partial<HealthCheckerProps> = {},
): { template: Template; checker: HealthChecker; stack: Stack } {
  const app = unbundledApp();
  const stack = new Stack(app, 'Test');
  const checker = new HealthChecker(stack, 'Checker', {
    configFile: configFile(yaml),
    ...props,
  });
  return { template: Template.fromStack(stack), checker, stack };
}

export const diskOnlyConfig = `
timezone: Asia/Ho_Chi_Minh
suites:
  - id: morning
    schedule: "cron(0 8 * * ? *)"
    checks: [root-disk]
  - id: weekly
    schedule: "cron(0 9 ? * MON *)"
    checks: [root-disk]
  - id: monthly
    schedule: "cron(0 2 ? * SAT#1 *)"
    checks: [root-disk]
  - id: frequent
    schedule: "rate(15 minutes)"
    checks: [root-disk]
checks:
  - id: root-disk
    type: disk
    paths: [/]
notifications:
  email: [oncall@example.vn, sre@example.vn]
`;
