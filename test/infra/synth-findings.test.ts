import { Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/core/errors.ts';
import { synthChecker, synthTimeout } from './synth-helpers.ts';

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const pagerDuty = (routingKey: string) => `
suites: [{id: morning, schedule: "cron(0 8 * * ? *)", checks: [root-disk]}]
checks: [{id: root-disk, type: disk, paths: [/], severity: P1}]
notifications:
  pagerduty:
    routingKey: ${routingKey}
`;

describe('synth refuses what cannot work on AWS', { timeout: synthTimeout }, () => {
  it('fails on a literal PagerDuty routing key, naming the field', () => {
    const error = configErrorOf(() => synthChecker(pagerDuty('R0UT1NGKEY0123456789ABCDEFGHIJKL')));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(
      /^notifications\.pagerduty\.routingKey: a routing key written in the config would be bundled verbatim into the runner's Lambda package; store it .* write routingKey: \$\{secret:erp\/pagerduty\}/,
    );
    expect(error.message).not.toContain('R0UT1NGKEY0123456789ABCDEFGHIJKL');
  });

  it('fails on a routing key from ${env:}, unless the stack reads the key from a secret', () => {
    const fromEnv = pagerDuty('"${env:PD_KEY}"');
    const runnerEnvironment = { PD_KEY: 'R0UT1NGKEY0123456789ABCDEFGHIJKL' };
    expect(configErrorOf(() => synthChecker(fromEnv, { runnerEnvironment })).problems[0]).toMatch(
      /^notifications\.pagerduty\.routingKey: a routing key from \$\{env:\} would sit in the runner's environment/,
    );
    const { template } = synthChecker(fromEnv, {
      runnerEnvironment,
      pagerDutyRoutingKeySecret: 'erp/pagerduty',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ HEALTHCHECK_PAGERDUTY_SECRET_ID: 'erp/pagerduty' }),
      },
    });
  });

  it('lets the runner read a ${secret:ID} routing key, and that secret only', () => {
    const { template } = synthChecker(pagerDuty('"${secret:erp/pagerduty}"'));
    const policies = JSON.stringify(
      template.findResources('AWS::IAM::Policy', {
        Properties: { PolicyName: Match.stringLikeRegexp('RunnerRole') },
      }),
    );
    expect(policies).toContain('secret:erp/pagerduty-??????');
  });

  it('rejects runner environment names Lambda or the stack set', () => {
    const error = configErrorOf(() =>
      synthChecker(pagerDuty('"${secret:erp/pagerduty}"'), {
        runnerEnvironment: { AWS_REGION: 'eu-west-1', HEALTHCHECK_TABLE: 'x', DATA_DIR: '/d' },
      }),
    );
    expect(error.problems.map((p) => p.split(':')[0])).toEqual([
      'runnerEnvironment AWS_REGION',
      'runnerEnvironment HEALTHCHECK_TABLE',
    ]);
  });
});

describe('synth warns about inline credentials', { timeout: synthTimeout }, () => {
  const config = `
suites: [{id: morning, schedule: "cron(0 8 * * ? *)", checks: [erp-db, erp-cache, minio, vault-db, ok-db, login, api]}]
checks:
  - id: erp-db
    type: connection-pool
    engine: postgres
    url: postgres://monitor:hunter22@db.internal:5432/erp
  - id: erp-cache
    type: connection-pool
    engine: redis
    url: "redis://:\${env:REDIS_PASSWORD}@cache.internal:6379"
  - id: minio
    type: backup
    location: s3://lake/db_{yyyyMMdd}.gz
    endpoint: http://minio.internal:9000
    accessKeyId: reader
    secretAccessKey: literal-minio-secret
  - id: vault-db
    type: connection-pool
    engine: postgres
    url: "\${secret:erp/db-url}"
  - id: ok-db
    type: connection-pool
    engine: postgres
    url: postgres://monitor:\${secret:erp/pg}@db.internal:5432/erp
  - id: login
    type: http
    steps:
      - url: https://erp.internal/api/auth/login
        json: { username: healthcheck, password: "\${secret:erp/login}" }
        capture: { token: $.access_token }
    url: https://erp.internal/api/v1/users/me
    headers: { authorization: "Bearer {{token}}" }
  - id: api
    type: http
    url: https://erp.internal/api/v1/health
    headers: { authorization: "Bearer literal-api-token" }
`;
  const { stack } = synthChecker(config, { runnerEnvironment: { REDIS_PASSWORD: 'p' } });
  const warnings = Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp('.*'))
    .map((w) => String(w.entry.data));

  it('names each field, never the value, and says what to do', () => {
    const credential = warnings.filter((w) => /Secrets Manager/.test(w));
    expect(credential.map((w) => w.split(':')[0])).toEqual([
      'checks[0].url',
      'checks[1].url',
      'checks[2].secretAccessKey',
      // A token captured from the login step arrives at run time; a literal one is bundled.
      'checks[6].headers.authorization',
      'runnerEnvironment REDIS_PASSWORD',
    ]);
    expect(credential[0]).toMatch(
      /a password in the URL is written in the config, which is bundled verbatim/,
    );
    expect(credential[1]).toMatch(
      /comes from the runner's environment, which is visible in the template/,
    );
    expect(warnings.join('\n')).not.toMatch(/hunter22|literal-minio-secret|literal-api-token/);
  });
});

describe('synth warns about checks that cannot fit the runner budget', {
  timeout: synthTimeout,
}, () => {
  const config = `
suites: [{id: morning, schedule: "cron(0 8 * * ? *)", checks: [slow, quick]}]
checks:
  - {id: slow, type: disk, paths: [/], timeoutSeconds: 120}
  - {id: quick, type: disk, paths: [/], timeoutSeconds: 20}
  - {id: unscheduled, type: disk, paths: [/], timeoutSeconds: 600}
`;
  const budgetWarnings = (timeout: Duration) =>
    Annotations.fromStack(synthChecker(config, { runnerTimeout: timeout }).stack)
      .findWarning('*', Match.stringLikeRegexp('.*timeoutSeconds.*'))
      .map((w) => String(w.entry.data));

  it('names the check whose deadline is beyond the budget, only for a short runner timeout', () => {
    const warnings = budgetWarnings(Duration.seconds(120));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^checks\[0\] \(slow\): timeoutSeconds 120 cannot fit the runner's budget of 96 s per run \(timeout 120 s/,
    );
    expect(budgetWarnings(Duration.minutes(5))).toEqual([]);
  });
});
