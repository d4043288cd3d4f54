import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/core/errors.ts';
import { appOptionsFromContext } from '../../lib/infra/app-context.ts';
import type { HealthCheckerProps } from '../../lib/infra/health-checker-props.ts';
import { HealthCheckerStack } from '../../lib/infra/health-checker-stack.ts';
import { opsTopicProblems } from '../../lib/infra/ops-topic.ts';
import { stackOutputs } from '../../lib/infra/stack-outputs.ts';
import { configFile, diskOnlyConfig, synthChecker, synthTimeout } from './synth-helpers.ts';

const pagerUrl =
  'https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue';

function stackFrom(context: Record<string, unknown>, props: Partial<HealthCheckerProps> = {}) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const options = appOptionsFromContext(app, () => false);
  const stack = new HealthCheckerStack(app, options.stackName, {
    healthChecker: { ...options.healthChecker, configFile: configFile(diskOnlyConfig), ...props },
  });
  return Template.fromStack(stack);
}

/** Subscriptions of the topic whose logical id matches `topic`, as protocol:endpoint. */
function subscriptionsOf(template: Template, topic: RegExp): string[] {
  return Object.values(template.findResources('AWS::SNS::Subscription'))
    .map((r) => (r as { Properties: Record<string, unknown> }).Properties)
    .filter((p) => topic.test(JSON.stringify(p['TopicArn'])))
    .map((p) => `${p['Protocol']}:${p['Endpoint']}`)
    .sort();
}

function publishTargets(template: Template, role: RegExp): string[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .map((r) => (r as { Properties: Record<string, unknown> }).Properties)
    .filter((p) => role.test(String(p['PolicyName'])))
    .flatMap(
      (p) =>
        (p['PolicyDocument'] as { Statement: { Action: unknown; Resource: unknown }[] }).Statement,
    )
    .filter((s) => s.Action === 'sns:Publish')
    .map((s) => JSON.stringify(s.Resource));
}

describe('ops topic', { timeout: synthTimeout }, () => {
  it("by default emails the config's addresses on a topic of its own, output as OpsTopicArn", () => {
    const template = stackFrom({});
    const emails = ['email:oncall@example.vn', 'email:sre@example.vn'];
    expect(subscriptionsOf(template, /OpsTopic/)).toEqual(emails);
    expect(subscriptionsOf(template, /AlertTopic/)).toEqual(emails);
    template.hasOutput(stackOutputs.opsTopic, {
      Value: { Ref: Match.stringLikeRegexp('OpsTopic') },
    });
    template.hasOutput(stackOutputs.alertTopic, {
      Value: { Ref: Match.stringLikeRegexp('AlertTopic') },
    });
  });

  it('takes its own addresses and a pager URL from context, the pager getting alarms only', () => {
    const template = stackFrom({
      opsEmails: 'sre-lead@example.vn, platform@example.vn',
      opsPagerUrl: pagerUrl,
    });
    expect(subscriptionsOf(template, /OpsTopic/)).toEqual([
      'email:platform@example.vn',
      'email:sre-lead@example.vn',
      `https:${pagerUrl}`,
    ]);
    // The alert emails are untouched.
    expect(subscriptionsOf(template, /AlertTopic/)).toEqual([
      'email:oncall@example.vn',
      'email:sre@example.vn',
    ]);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: pagerUrl,
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: { AlarmName: [{ exists: true }] },
    });
  });

  it('can have no email at all (-c opsEmails= with a pager)', () => {
    const template = stackFrom({ opsEmails: '', opsPagerUrl: pagerUrl });
    expect(subscriptionsOf(template, /OpsTopic/)).toEqual([`https:${pagerUrl}`]);
  });

  it('carries every alarm of the checker, and the watchdog publishes there, the runner not', () => {
    const { template } = synthChecker(diskOnlyConfig);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      const text = JSON.stringify(alarm);
      expect(text).toMatch(/OpsTopic/);
      expect(text).not.toMatch(/AlertTopic/);
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          HEALTHCHECK_WATCHDOG_ALLOWANCE_MS: Match.anyValue(),
          HEALTHCHECK_TOPIC_ARN: { Ref: Match.stringLikeRegexp('OpsTopic') },
        }),
      },
    });
    const watchdog = publishTargets(template, /Watchdog/);
    const runner = publishTargets(template, /RunnerRole/);
    expect(watchdog).toHaveLength(1);
    expect(watchdog[0]).toMatch(/OpsTopic/);
    expect(runner).toHaveLength(1);
    expect(runner[0]).toMatch(/AlertTopic/);
  });

  it('warns at synth when nobody would hear of the alarms, and only then', () => {
    const unheard = (props: Partial<HealthCheckerProps>) =>
      Annotations.fromStack(synthChecker(diskOnlyConfig, props).stack)
        .findWarning('*', Match.stringLikeRegexp('ops topic has no subscriber'))
        .map((w) => String(w.entry.data));
    expect(unheard({ opsEmails: [] })).toHaveLength(1);
    expect(unheard({ opsEmails: [], opsPagerUrl: pagerUrl })).toEqual([]);
    expect(unheard({})).toEqual([]);
  });

  it('fails synth on bad ops props, naming each', () => {
    let error: unknown;
    try {
      synthChecker(diskOnlyConfig, {
        opsEmails: ['sre@example.vn', 'not-an-address', 'SRE@example.vn'],
        opsPagerUrl: 'http://events.pagerduty.com/integration/x/enqueue',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'opsEmails[1]: "not-an-address" is not an email address',
      'opsEmails[2]: "SRE@example.vn" is already opsEmails[0]',
      'opsPagerUrl: must be an https:// URL (SNS delivers alarms to it over HTTPS)',
    ]);
  });
});

describe('opsTopicProblems', () => {
  it.each([
    { name: 'nothing set', props: {}, problems: [] },
    { name: 'good addresses and URL', props: { emails: ['a@example.vn'], pagerUrl }, problems: [] },
    {
      name: 'not a URL',
      props: { pagerUrl: 'events.pagerduty.com' },
      problems: ['opsPagerUrl: must be an https:// URL (SNS delivers alarms to it over HTTPS)'],
    },
  ])('$name', ({ props, problems }) => {
    expect(opsTopicProblems(props)).toEqual(problems);
  });
});
