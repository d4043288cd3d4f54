import { dirname, join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { selectChecks } from '../../lib/core/select-checks.ts';
import { HealthChecker } from '../../lib/infra/health-checker.ts';
import type { HealthCheckerProps } from '../../lib/infra/health-checker-props.ts';
import { shardMapLabel } from '../../lib/infra/sharded-suite-runs.ts';
import { shardsOf } from '../../lib/shard/suite-shards.ts';
import { largeSuiteConfig } from '../support/large-suite.ts';
import { synthesizedDefinition } from '../support/local-state-machine.ts';
import { configFile, diskOnlyConfig, synthChecker, synthTimeout } from './synth-helpers.ts';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

function logicalIdOf(resources: Resources): string {
  const [id] = Object.keys(resources);
  if (!id) throw new Error('resource not found');
  return id;
}

describe('a 3,000-check suite', () => {
  const { template, checker, stack } = synthChecker(largeSuiteConfig(3000));

  it('is split into shards; the small suite beside it is not', () => {
    expect(checker.shardCounts.get('fleet')).toBeGreaterThan(1);
    expect(checker.shardCounts.get('morning')).toBe(1);
  });

  it('runs as a Standard state machine: a Distributed Map over shards, then one aggregation', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    const definition = synthesizedDefinition(template) as {
      StartAt: string;
      States: Record<string, Record<string, unknown>>;
    };
    const map = definition.States[definition.StartAt] as Record<string, unknown>;
    expect(map).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.shards',
      MaxConcurrency: 10,
      ToleratedFailurePercentage: 25,
      Label: shardMapLabel,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
      ItemSelector: { mode: 'shard', shard: { 'index.$': '$$.Map.Item.Value' } },
      // A map run past its tolerance still reaches the aggregation.
      Catch: [expect.objectContaining({ Next: map['Next'] })],
    });
    const child = Object.values(
      (map['ItemProcessor'] as { States: Record<string, Record<string, unknown>> }).States,
    )[0];
    expect(child?.['Retry']).toEqual([expect.objectContaining({ ErrorEquals: ['States.ALL'] })]);
    const aggregate = definition.States[map['Next'] as string];
    expect(aggregate).toMatchObject({
      Type: 'Task',
      Parameters: { mode: 'aggregate', 'shardCount.$': '$.shardCount' },
    });
  });

  it('bounds an execution by its shards, attempts and the runner timeout; the watchdog waits that long', () => {
    // 2 shards in one wave of 10: 3 attempts of 300 s, then 3 of the aggregation, plus backoff.
    expect(checker.shardCounts.get('fleet')).toBe(2);
    expect(synthesizedDefinition(template)['TimeoutSeconds']).toBe(2 * 3 * 300 + 2 * 60);
    const watchdog = JSON.stringify(template.findResources('AWS::Lambda::Function'));
    // Scheduler's hour + the longest sharded run + the hour of grace.
    expect(watchdog).toContain(`"${(3600 + 1920 + 3600) * 1000}"`);
  });

  it('schedules the big suite as an execution and the small one as a runner invocation', () => {
    const machineId = logicalIdOf(
      template.findResources('AWS::StepFunctions::StateMachine') as Resources,
    );
    const runnerId = stack.getLogicalId(checker.runner.node.defaultChild as never);
    const shards = checker.shardCounts.get('fleet') ?? 0;
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')) as {
      Properties: { Target: { Arn: unknown; Input: string } };
    }[];
    const fleet = schedules.find((s) => JSON.parse(s.Properties.Target.Input).suite === 'fleet');
    expect(fleet?.Properties.Target.Arn).toEqual({ Ref: machineId });
    expect(JSON.parse(fleet?.Properties.Target.Input ?? '{}')).toEqual({
      suite: 'fleet',
      scheduledTime: '<aws.scheduler.scheduled-time>',
      shardCount: shards,
      shards: Array.from({ length: shards }, (_, i) => i + 1),
    });
    const morning = schedules.find(
      (s) => JSON.parse(s.Properties.Target.Input).suite === 'morning',
    );
    expect(morning?.Properties.Target.Arn).toEqual({ 'Fn::GetAtt': [runnerId, 'Arn'] });
  });

  it('lets the Scheduler role start exactly this state machine, and its role invoke the runner', () => {
    const machineId = logicalIdOf(
      template.findResources('AWS::StepFunctions::StateMachine') as Resources,
    );
    const schedulerRole = stack.getLogicalId(checker.schedules.role.node.defaultChild as never);
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: schedulerRole }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'states:StartExecution', Resource: { Ref: machineId } }),
        ]),
      },
    });
    const runnerId = stack.getLogicalId(checker.runner.node.defaultChild as never);
    const machineRole = stack.getLogicalId(
      checker.shardedRuns?.stateMachine.role.node.defaultChild as never,
    );
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: machineRole }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: Match.arrayWith([{ 'Fn::GetAtt': [runnerId, 'Arn'] }]),
          }),
        ]),
      },
    });
    // Nothing else may start it: no other policy names states:StartExecution on it.
    const starters = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p).includes('states:StartExecution'),
    );
    expect(starters.map((p) => (p as { Properties: { Roles: unknown } }).Properties.Roles)).toEqual(
      expect.arrayContaining([[{ Ref: schedulerRole }]]),
    );
  });

  it('alarms on failed executions and failed shards through the ops topic, with the checker alarms', () => {
    const topicId = stack.getLogicalId(checker.opsTopic.node.defaultChild as never);
    for (const name of ['sharded-run-failed', 'shards-failed']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `${checker.stage}-healthcheck-${name}`,
        AlarmActions: [{ Ref: topicId }],
        Threshold: 1,
      });
    }
    // The shards' alarm reads the child executions' metrics, labelled by the map.
    const alarms = JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toContain(`/${shardMapLabel}`);
    expect(alarms).toContain('ExecutionsTimedOut');
  });
});

describe('small suites', () => {
  it('keep one runner invocation and no state machine', () => {
    const { template, checker } = synthChecker(diskOnlyConfig);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
    expect(checker.shardedRuns).toBeUndefined();
    expect([...checker.shardCounts.values()]).toEqual([1, 1, 1, 1]);
    expect(JSON.stringify(template.toJSON())).not.toContain('shards-failed');
  });
});

describe('tuning', () => {
  it('a shard size bound and map concurrency from props', () => {
    const { template, checker } = synthChecker(largeSuiteConfig(400), {
      sharding: { maxChecksPerShard: 100, mapMaxConcurrency: 3, toleratedFailurePercentage: 50 },
    });
    // 400 checks fit one invocation by their worst case; the bound alone splits them.
    const shards = checker.shardCounts.get('fleet') ?? 0;
    expect(shards).toBeGreaterThanOrEqual(4);
    const sizes = shardsOf(selectChecks(checker.config, { suites: ['fleet'] }).checks, shards).map(
      (s) => s.length,
    );
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(400);
    const definition = JSON.stringify(synthesizedDefinition(template));
    expect(definition).toContain('"MaxConcurrency":3');
    expect(definition).toContain('"ToleratedFailurePercentage":50');
  });
});

describe('a 5,000-check suite', () => {
  it(
    'synthesizes',
    () => {
      const { template, checker } = synthChecker(largeSuiteConfig(5000));
      expect(checker.shardCounts.get('fleet')).toBeGreaterThanOrEqual(3);
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    },
    synthTimeout,
  );
});

describe('cdk-nag AwsSolutions on a sharded stack', () => {
  it(
    'has no unacknowledged finding',
    () => {
      const app = new App({
        // Beside the config, in the temp dir synth-helpers removes after the file's tests.
        outdir: join(dirname(configFile('')), 'cdk.out'),
        context: { 'aws:cdk:bundling-stacks': [] },
      });
      const stack = new Stack(app, 'Nag');
      const props: HealthCheckerProps = { configFile: configFile(largeSuiteConfig(2000)) };
      new HealthChecker(stack, 'HealthChecker', props);
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      let report = '';
      try {
        app.synth();
      } catch (error) {
        report = (error as Error).message;
        if (!report.includes('(AwsSolutions)')) throw error;
      }
      const findings = [...report.matchAll(/Acknowledge with 'AwsSolutions::([^']+)'/g)].map(
        (m) => m[1],
      );
      expect([...new Set(findings)]).toEqual([]);
    },
    synthTimeout,
  );
});
