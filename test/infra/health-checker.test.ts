import { readFileSync } from 'node:fs';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SecurityGroup, Vpc } from 'aws-cdk-lib/aws-ec2';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/core/errors.ts';
import { HealthChecker } from '../../lib/infra/health-checker.ts';
import {
  configFile,
  diskOnlyConfig,
  synthChecker,
  synthTimeout,
  unbundledApp,
} from './synth-helpers.ts';

describe('HealthChecker: schedules', { timeout: synthTimeout }, () => {
  const { template } = synthChecker(diskOnlyConfig);

  it('creates one schedule per suite in the config time zone, naming the suite and scheduled time', () => {
    // Four suites, the delivery pass and the watchdog's hourly schedule.
    template.resourceCountIs('AWS::Scheduler::Schedule', 6);
    template.resourcePropertiesCountIs(
      'AWS::Scheduler::Schedule',
      { ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh' },
      4,
    );
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Input: JSON.stringify({
          suite: 'morning',
          scheduledTime: '<aws.scheduler.scheduled-time>',
        }),
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ScheduleDeadLetterQueue'), 'Arn'] },
        },
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CheckerRunner'), 'Arn'] },
      },
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 ? * SAT#1 *)',
      ScheduleExpressionTimezone: 'Asia/Ho_Chi_Minh',
    });
  });

  it('gives the scheduler roles only invoke and send to the DLQ, for this account only', () => {
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyName: Match.stringLikeRegexp('SchedulerRole') },
    });
    // The suites' and watchdog's role, and the delivery pass's: each exactly these two actions.
    expect(Object.keys(policies)).toHaveLength(2);
    const statementsOf = (policy: unknown) =>
      (policy as { Properties: { PolicyDocument: { Statement: { Action: unknown }[] } } })
        .Properties.PolicyDocument.Statement;
    for (const policy of Object.values(policies)) {
      expect([...new Set(statementsOf(policy).map((s) => s.Action))]).toEqual([
        'lambda:InvokeFunction',
        'sqs:SendMessage',
      ]);
    }
    const invoked = JSON.stringify(Object.values(policies).map(statementsOf));
    expect(invoked).toMatch(/CheckerRunner/);
    expect(invoked).toMatch(/CheckerWatchdogFunction/);
    const trusts = Object.values(
      template.findResources('AWS::IAM::Role', {
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
          },
        },
      }),
    );
    expect(trusts).toHaveLength(2);
    for (const role of trusts) {
      expect(JSON.stringify(role)).toContain(
        '"Condition":{"StringEquals":{"aws:SourceAccount":{"Ref":"AWS::AccountId"}}}',
      );
    }
  });

  it('encrypts the dead-letter queues and requires TLS on them', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    template.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('HealthChecker: storage and alerting', { timeout: synthTimeout }, () => {
  const { template } = synthChecker(diskOnlyConfig);

  it('stores results on demand with TTL, point-in-time recovery and the KMS key', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: {
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('EncryptionKey'), 'Arn'] },
      },
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('encrypts both topics with a rotating KMS key CloudWatch may use, and enforces SSL', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.resourcePropertiesCountIs(
      'AWS::SNS::Topic',
      { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('EncryptionKey'), 'Arn'] } },
      2,
    );
    const policies = template.findResources('AWS::SNS::TopicPolicy');
    expect(Object.keys(policies)).toHaveLength(2);
    for (const policy of Object.values(policies)) {
      expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('lets CloudWatch alarms publish to the ops topic only, from this account', () => {
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    const allowing = policies.filter((p) => JSON.stringify(p).includes('cloudwatch.amazonaws.com'));
    expect(allowing).toHaveLength(1);
    expect(JSON.stringify(allowing[0])).toMatch(/OpsTopic/);
    expect(JSON.stringify(allowing[0])).not.toMatch(/AlertTopic/);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('OpsTopic') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            }),
          }),
        ]),
      },
    });
  });

  it('subscribes every configured email address to all severities, on both topics', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 4);
    for (const topic of ['AlertTopic', 'OpsTopic']) {
      for (const email of ['oncall@example.vn', 'sre@example.vn']) {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'email',
          Endpoint: email,
          TopicArn: { Ref: Match.stringLikeRegexp(topic) },
          FilterPolicy: Match.absent(),
        });
      }
    }
  });

  it('filters an email subscription to the severities its entry names', () => {
    const { template: filtered } = synthChecker(`
notifications:
  email: [oncall@example.vn, { address: cto@example.vn, severities: [P1, P2] }]
checks: [{id: root-disk, type: disk, paths: [/]}]
`);
    filtered.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'cto@example.vn',
      TopicArn: { Ref: Match.stringLikeRegexp('AlertTopic') },
      FilterPolicy: { severity: ['P1', 'P2'] },
    });
    filtered.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'oncall@example.vn',
      TopicArn: { Ref: Match.stringLikeRegexp('AlertTopic') },
      FilterPolicy: Match.absent(),
    });
    // The checker's own alarms reach every address, whatever alert severities it chose.
    filtered.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'cto@example.vn',
      TopicArn: { Ref: Match.stringLikeRegexp('OpsTopic') },
      FilterPolicy: Match.absent(),
    });
  });

  it('creates the state-change event bus', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
  });
});

describe('HealthChecker: runner function', { timeout: synthTimeout }, () => {
  const { template } = synthChecker(diskOnlyConfig);

  it('runs on Node 24, ARM64, traced, with a failure destination and the stack wiring in env', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 300,
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: Match.absent(),
      VpcConfig: Match.absent(),
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'healthcheck-runner',
          POWERTOOLS_METRICS_NAMESPACE: 'Healthcheck',
          HEALTHCHECK_CONFIG_FILE: 'healthchecks.yaml',
          HEALTHCHECK_TABLE: { Ref: Match.stringLikeRegexp('ResultsTable') },
          HEALTHCHECK_TOPIC_ARN: { Ref: Match.stringLikeRegexp('AlertTopic') },
          HEALTHCHECK_EVENT_BUS_NAME: { Ref: Match.stringLikeRegexp('EventBus') },
        }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 0,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('FunctionFailureQueue'), 'Arn'] },
        },
      },
    });
  });

  it('keeps logs in their own log group with retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('RunnerLogs') } },
    });
  });

  it('grants the runner exactly: its logs, X-Ray, failure queue, the table actions it uses, bus, topic, status page', () => {
    const policy = Object.values(
      template.findResources('AWS::IAM::Policy', {
        Properties: { PolicyName: Match.stringLikeRegexp('RunnerRole') },
      }),
    )[0] as { Properties: { PolicyDocument: { Statement: { Action: string | string[] }[] } } };
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((s) =>
      Array.isArray(s.Action) ? s.Action : [s.Action],
    );
    expect([...actions].sort()).toEqual(
      [
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'kms:Decrypt',
        'kms:GenerateDataKey',
        'events:PutEvents',
        'sns:Publish',
        // The status page's two objects (test/infra/status-page-bucket.test.ts has the resources).
        's3:ListBucket',
        's3:GetObject',
        's3:PutObject',
      ].sort(),
    );
    template.resourcePropertiesCountIs(
      'AWS::IAM::Role',
      { ManagedPolicyArns: Match.anyValue() },
      0,
    );
  });

  it('reserves concurrency only when asked', () => {
    const { template: reserved } = synthChecker(diskOnlyConfig, { reservedConcurrency: 2 });
    reserved.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 2 });
  });

  it('joins a VPC with the given security group when placed in one', () => {
    const app = unbundledApp();
    const stack = new Stack(app, 'Placed');
    const vpc = new Vpc(stack, 'Vpc', { maxAzs: 2 });
    const sg = new SecurityGroup(stack, 'ChecksSg', { vpc });
    new HealthChecker(stack, 'Checker', {
      configFile: configFile(diskOnlyConfig),
      vpcPlacement: { vpc, securityGroups: [sg] },
    });
    const placed = Template.fromStack(stack);
    placed.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: {
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ChecksSg'), 'GroupId'] }],
        SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('PrivateSubnet') }]),
      },
    });
    // The network-interface actions inline, not AWSLambdaVPCAccessExecutionRole (logs:* on *).
    placed.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 0);
    placed.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('RunnerRole'),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
            Resource: '*',
          }),
          Match.objectLike({
            Action: [
              'ec2:CreateNetworkInterface',
              'ec2:DeleteNetworkInterface',
              'ec2:AssignPrivateIpAddresses',
              'ec2:UnassignPrivateIpAddresses',
            ],
          }),
        ]),
      },
    });
  });
});

describe('HealthChecker: grants from the config', { timeout: synthTimeout }, () => {
  const config = `
timezone: Asia/Ho_Chi_Minh
suites:
  - id: pods
    schedule: "rate(15 minutes)"
    checks: [prod-pods, erp-db, erp-backup, erp-cert-file]
checks:
  - id: prod-pods
    type: kubernetes-pods
    eks: { clusterName: secureconnect-prod, region: ap-southeast-1 }
    namespace: secureconnect-prod
  - id: erp-db
    type: connection-pool
    engine: postgres
    url: postgres://monitor:\${secret:erp/postgres-monitor}@db.internal:5432/erp
  - id: erp-backup
    type: backup
    location: s3://erp-backups/db/erp_prod_{yyyyMMdd}.sql.gz
  - id: erp-cert-file
    type: tls-certificate
    file: s3://erp-backups/certs/erp.company.vn/fullchain.pem
`;
  const { template } = synthChecker(config);

  it('reads exactly the referenced secrets, describes exactly the named EKS cluster, reads the backup bucket', () => {
    const statements = Object.values(
      template.findResources('AWS::IAM::Policy', {
        Properties: { PolicyName: Match.stringLikeRegexp('RunnerRole') },
      }),
    ).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } })
          .Properties.PolicyDocument.Statement,
    );
    const text = JSON.stringify(statements);
    expect(text).toContain('secret:erp/postgres-monitor-??????');
    expect(text).toContain(':eks:ap-southeast-1:');
    expect(text).toContain('cluster/secureconnect-prod');
    // Reads under the location's fixed prefix only, listing included.
    expect(text).toContain('s3:::erp-backups/db/erp_prod_*');
    expect(text).not.toContain('s3:::erp-backups/*');
    expect(statements).toContainEqual(
      expect.objectContaining({
        Action: 's3:ListBucket',
        Condition: {
          StringLike: { 's3:prefix': ['db/erp_prod_*', 'certs/erp.company.vn/fullchain.pem'] },
        },
      }),
    );
    // A certificate file is one object: granted by its exact key, never as a prefix.
    expect(text).toContain('s3:::erp-backups/certs/erp.company.vn/fullchain.pem"');
    expect(text).not.toContain('fullchain.pem*');
    expect(statements.find((s) => s['Action'] === 'eks:DescribeCluster')).toBeDefined();
    expect(statements.find((s) => s['Action'] === 'secretsmanager:GetSecretValue')).toBeDefined();
  });

  it('never writes a resolved secret into the template', () => {
    // Where synth could find the value if it ever resolved references (the CLI's local source).
    process.env['HEALTHCHECK_SECRET_ERP_POSTGRES_MONITOR'] = 'pw-resolved-at-synth';
    try {
      const { template: fresh, checker } = synthChecker(config);
      const text = JSON.stringify(fresh.toJSON());
      // The template does carry what synth derives from the config, the secret's name included...
      expect(text).toContain('secret:erp/postgres-monitor-??????');
      // ...but never its value, and the config the runner gets keeps the reference.
      expect(text).not.toContain('pw-resolved-at-synth');
      expect(text).not.toMatch(/postgres:\/\/monitor:/);
      const pool = checker.config.checks.find((c) => c.id === 'erp-db') as { url: string };
      expect(pool.url).toBe(
        'postgres://monitor:${secret:erp/postgres-monitor}@db.internal:5432/erp',
      );
    } finally {
      delete process.env['HEALTHCHECK_SECRET_ERP_POSTGRES_MONITOR'];
    }
  });
});

describe('HealthChecker: watching the watcher', { timeout: synthTimeout }, () => {
  const { template, checker } = synthChecker(diskOnlyConfig, { missedRunGrace: Duration.hours(1) });
  // Also the watchdog silence alarm (INSUFFICIENT_DATA action) is what notifies.
  const alarms = template.findResources('AWS::CloudWatch::Alarm');

  it('alarms on runner errors, throttles, near-timeouts and both dead-letter queues, to the ops topic', () => {
    for (const metric of ['Errors', 'Throttles']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Threshold: 1,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('OpsTopic') }],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Duration',
      Statistic: 'Maximum',
      Threshold: 270_000,
    });
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' },
      2,
    );
    for (const alarm of Object.values(alarms)) {
      const properties = (alarm as { Properties: Record<string, unknown> }).Properties;
      expect(properties['AlarmActions']).toEqual([{ Ref: expect.stringMatching(/OpsTopic/) }]);
      expect(properties['AlarmName']).toMatch(/^Test-healthcheck-/);
    }
  });

  it('watches suites with the watchdog function instead of synth-dated missing-data alarms', () => {
    template.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { MetricName: 'SuiteCompleted' },
      0,
    );
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CheckerWatchdogFunction'), 'Arn'] },
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
      },
    });
    // scheduled time + 1 h of Scheduler retries + 5 min runner timeout + 1 h grace
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          HEALTHCHECK_WATCHDOG_ALLOWANCE_MS: String((60 + 5 + 60) * 60_000),
          HEALTHCHECK_CONFIG_FILE: 'healthchecks.yaml',
          HEALTHCHECK_TABLE: { Ref: Match.stringLikeRegexp('ResultsTable') },
        }),
      },
    });
    // Its own errors, and its silence after two hourly periods (notified on INSUFFICIENT_DATA,
    // so a fresh deploy is not in alarm).
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-healthcheck-watchdog-silent',
      MetricName: 'Invocations',
      Period: 3600,
      EvaluationPeriods: 2,
      TreatMissingData: 'missing',
      InsufficientDataActions: [{ Ref: Match.stringLikeRegexp('OpsTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-healthcheck-watchdog-errors',
      MetricName: 'Errors',
    });
    // 5 on the runner and queues, 2 on the watchdog, "notifications refused" for sns and eventbridge.
    expect(Object.keys(alarms)).toHaveLength(5 + 2 + 2);
    expect(checker.watchdog.fn).toBeDefined();
  });

  it('builds a dashboard with status per check, failures, durations and last run per suite', () => {
    const body = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0],
    );
    for (const text of [
      'Status per check',
      'check result',
      'ChecksFailed',
      'CheckDuration',
      'Last run per suite',
      'suite completed',
    ]) {
      expect(body).toContain(text);
    }
    // Only this stage's series (SEARCH ... stage="Test").
    expect(body).toMatch(/MetricName=\\+"ChecksFailed\\+" stage=\\+"Test\\+"/);
    // Per-suite metrics by default: no CheckStatus series to pay for per check.
    expect(body).not.toContain('CheckStatus');
    const perCheck = JSON.stringify(
      synthChecker(diskOnlyConfig, { checkMetrics: 'per-check' }).template.findResources(
        'AWS::CloudWatch::Dashboard',
      ),
    );
    expect(perCheck).toContain('CheckStatus');
  });
});

describe('HealthChecker: bad config', { timeout: synthTimeout }, () => {
  it('fails construction with the same field-path lines as the CLI', () => {
    const file = configFile(`
suites:
  - id: morning
    schedule: "cron(0 8 * * * *)"
    checks: [root-disk]
checks:
  - id: root-disk
    type: disk
    paths: [/]
    timeoutSeconds: soon
`);
    let error: unknown;
    try {
      synthChecker(`unused: true`, { configFile: file });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^suites\[0\]\.schedule: .*day-of-month.*\(line 4\)$/m);
    expect(problems).toMatch(
      /^checks\[0\]\.timeoutSeconds: expected number, got text \(line 10\)$/m,
    );
  });

  it('fails on an ${env:} the runner environment does not set, naming the field', () => {
    let error: unknown;
    try {
      synthChecker(`
checks:
  - id: root-disk
    type: disk
    paths: ["\${env:DATA_DIR}"]
`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      "checks[0].paths[0]: ${env:DATA_DIR} is not in the runner's environment; set it with -c runnerEnvironment=DATA_DIR=... (or the runnerEnvironment prop), or use ${secret:ID} for a credential (line 5)",
    ]);
  });

  it('validates ${env:} with the runner environment, which the runner gets, keeping the reference', () => {
    const yaml = `
checks:
  - id: root-disk
    type: disk
    paths: ["\${env:DATA_DIR}"]
  - id: erp-cache
    type: connection-pool
    engine: redis
    url: "\${env:CACHE_URL}"
`;
    const environment = { DATA_DIR: '/mnt/data', CACHE_URL: 'redis://cache.internal:6379' };
    const { checker, template } = synthChecker(yaml, { runnerEnvironment: environment });
    expect(checker.config.checks[0]).toMatchObject({ paths: ['/mnt/data'] });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Runs one health check suite'),
      Environment: { Variables: Match.objectLike(environment) },
    });
    const bad = (() => {
      try {
        synthChecker(yaml, {
          runnerEnvironment: { ...environment, CACHE_URL: 'mysql://cache.internal' },
        });
      } catch (e) {
        return e as ConfigError;
      }
      return undefined;
    })();
    expect(bad?.problems).toEqual([
      'checks[1].url: must start with redis:// or rediss:// for engine redis (line 9)',
    ]);
  });
});

describe('HealthChecker: durable PagerDuty delivery', { timeout: synthTimeout }, () => {
  const example = readFileSync('examples/healthchecks.yaml', 'utf8');
  const { template } = synthChecker(example);
  const runnerStatements = (t: Template) =>
    JSON.stringify(
      t.findResources('AWS::IAM::Policy', {
        Properties: { PolicyName: Match.stringLikeRegexp('RunnerRole') },
      }),
    );

  it('pages from the runner (its outbox), not through a topic subscription', () => {
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'lambda' }, 0);
    // The runner and the watchdog.
    template.resourceCountIs('AWS::Lambda::Function', 2);
    expect(runnerStatements(template)).toContain('secret:erp/pagerduty-??????');
  });

  it('runs a delivery pass every 5 minutes for what is still waiting', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(5 minutes)',
      Target: {
        Input: JSON.stringify({ deliver: 'pending' }),
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 },
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CheckerRunner'), 'Arn'] },
      },
    });
  });

  it('alarms to the ops topic when PagerDuty refuses notifications for good, on its stage', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Test-healthcheck-notifications-refused-pagerduty',
      MetricName: 'NotificationsRefused',
      Namespace: 'Healthcheck',
      // The runner's metrics carry the stage, so the alarm must name it too.
      Dimensions: Match.arrayWith([
        { Name: 'channel', Value: 'pagerduty' },
        { Name: 'stage', Value: 'Test' },
      ]),
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('OpsTopic') }],
    });
  });

  it('uses a routing-key secret given as a prop instead of the config reference', () => {
    const arn = 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:pd-key-AbCdEf';
    const { template: overridden } = synthChecker(example, { pagerDutyRoutingKeySecret: arn });
    overridden.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ HEALTHCHECK_PAGERDUTY_SECRET_ID: arn }) },
    });
    expect(runnerStatements(overridden)).toContain(arn);
  });

  it('has no PagerDuty alarm when the config does not page', () => {
    const { template: noPager } = synthChecker(diskOnlyConfig);
    noPager.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      { Dimensions: Match.arrayWith([{ Name: 'channel', Value: 'pagerduty' }]) },
      0,
    );
    noPager.resourceCountIs('AWS::Lambda::Function', 2);
  });
});
