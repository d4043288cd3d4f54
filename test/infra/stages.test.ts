import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { HealthChecker } from '../../lib/infra/health-checker.ts';
import { configFile, synthTimeout, unbundledApp } from './synth-helpers.ts';

const config = `
timezone: Europe/Berlin
suites: [{id: weekly, schedule: "cron(0 9 ? * MON *)", checks: [root-disk]}]
checks: [{id: root-disk, type: disk, paths: [/], severity: P1}]
notifications:
  pagerduty: { routingKey: "\${secret:erp/pagerduty}" }
`;

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

function resourcesOf(template: Template, type: string) {
  return Object.values(template.toJSON()['Resources'] as Resources).filter((r) => r.Type === type);
}

describe('two stages in one account', { timeout: synthTimeout }, () => {
  const app = unbundledApp();
  const file = configFile(config);
  // Both stacks in one app, as one account would hold them; templates taken after both exist.
  const stacks = ['prod', 'staging'].map((stage) => {
    const stack = new Stack(app, `Checker-${stage}`);
    new HealthChecker(stack, 'Checker', { configFile: file, stage });
    return { stage, stack };
  });
  const templates = stacks.map(({ stage, stack }) => ({
    stage,
    template: Template.fromStack(stack),
  }));

  it('names every alarm after its stage, with no name shared', () => {
    const names = templates.map(({ template }) =>
      resourcesOf(template, 'AWS::CloudWatch::Alarm').map((a) => String(a.Properties['AlarmName'])),
    );
    const [prod = [], staging = []] = names;
    expect(prod.length).toBeGreaterThan(5);
    expect(prod.every((n) => n.startsWith('prod-healthcheck-'))).toBe(true);
    expect(staging.every((n) => n.startsWith('staging-healthcheck-'))).toBe(true);
    expect(prod.filter((n) => staging.includes(n))).toEqual([]);
  });

  it('gives every function its stage: the metric dimension and the PagerDuty dedup key prefix', () => {
    for (const { stage, template } of templates) {
      const functions = resourcesOf(template, 'AWS::Lambda::Function');
      // The runner (which pages PagerDuty itself) and the watchdog.
      expect(functions).toHaveLength(2);
      for (const fn of functions) {
        const variables = (fn.Properties['Environment'] as { Variables: Record<string, unknown> })
          .Variables;
        expect(variables['HEALTHCHECK_STAGE']).toBe(stage);
      }
    }
  });

  it('graphs only its own stage on the dashboard', () => {
    for (const { stage, template } of templates) {
      const body = JSON.stringify(resourcesOf(template, 'AWS::CloudWatch::Dashboard'));
      const stages = [...body.matchAll(/stage=\\+"([a-z]+)\\+"/g)].map((m) => m[1]);
      expect(stages.length).toBeGreaterThan(0);
      expect(new Set(stages)).toEqual(new Set([stage]));
    }
  });

  it('defaults the stage to the stack name', () => {
    const stack = new Stack(unbundledApp(), 'HealthCheckerEu');
    const checker = new HealthChecker(stack, 'Checker', { configFile: file });
    expect(checker.stage).toBe('HealthCheckerEu');
  });
});

describe('the watchdog does not depend on the synth date', { timeout: synthTimeout }, () => {
  // The old missed-run alarm of this weekly Berlin suite existed when synthesized in December
  // and vanished in September (the DST change made the gap longer than CloudWatch's 7 days).
  const file = configFile(config);
  const synthAt = (periodReferenceTime: Date) => {
    const stack = new Stack(unbundledApp(), 'Berlin');
    new HealthChecker(stack, 'Checker', { configFile: file, periodReferenceTime });
    return Template.fromStack(stack).toJSON();
  };

  it('gives a weekly Europe/Berlin suite the same watchdog in September and in December', () => {
    const september = synthAt(new Date('2026-09-28T00:00:00Z'));
    const december = synthAt(new Date('2026-12-07T00:00:00Z'));
    expect(september).toEqual(december);
    const schedules = Object.values(september['Resources'] as Resources).filter(
      (r) => r.Type === 'AWS::Scheduler::Schedule',
    );
    // The suite, the watchdog and the delivery pass: nothing dated.
    expect(schedules.map((s) => s.Properties['ScheduleExpression']).sort()).toEqual([
      'cron(0 9 ? * MON *)',
      'rate(1 hour)',
      'rate(5 minutes)',
    ]);
  });
});
