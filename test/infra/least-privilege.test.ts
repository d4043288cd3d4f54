import { readFileSync } from 'node:fs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { clusterAccessPlans } from '../../lib/infra/eks-access.ts';
import { synthChecker, synthTimeout } from './synth-helpers.ts';

type Statement = Record<string, unknown>;

function statementsOf(template: Template, role: string): Statement[] {
  return Object.values(
    template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyName: Match.stringLikeRegexp(role) },
    }),
  ).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
        .PolicyDocument.Statement,
  );
}

const actionsOf = (statements: readonly Statement[]) =>
  statements.flatMap((s) => (Array.isArray(s['Action']) ? s['Action'] : [s['Action']]) as string[]);

describe('least privilege', { timeout: synthTimeout }, () => {
  const example = readFileSync('examples/healthchecks.yaml', 'utf8');
  const kmsKey = 'arn:aws:kms:ap-southeast-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const { template } = synthChecker(example, { secretsKmsKeyArns: [kmsKey] });
  const runner = statementsOf(template, 'RunnerRole');
  const watchdog = statementsOf(template, 'WatchdogRole');

  it('grants no DynamoDB Scan or DeleteItem and no KMS ReEncrypt or wildcard actions', () => {
    for (const statements of [runner, watchdog]) {
      const actions = actionsOf(statements);
      for (const banned of [
        'dynamodb:Scan',
        'dynamodb:DeleteItem',
        'kms:ReEncrypt*',
        'kms:Encrypt',
      ]) {
        expect(actions).not.toContain(banned);
      }
      expect(actions.filter((a) => a.endsWith('*'))).toEqual([]);
    }
  });

  it('uses the stack key only through DynamoDB and SNS', () => {
    expect(runner).toContainEqual(
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: {
          StringEquals: {
            'kms:ViaService': [
              { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
              { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
            ],
          },
        },
      }),
    );
  });

  it('decrypts secrets with their customer-managed key, through Secrets Manager only', () => {
    // The watchdog pages too, so it reads the routing key.
    for (const statements of [runner, watchdog]) {
      expect(statements).toContainEqual({
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: kmsKey,
        Condition: {
          StringEquals: {
            'kms:ViaService': {
              'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
            },
          },
        },
      });
    }
  });

  it('reads exactly the secrets the scheduled checks name, a JSON key by its secret', () => {
    const { template: json } = synthChecker(`
suites: [{id: m, schedule: "cron(0 8 * * ? *)", checks: [db]}]
checks:
  - id: db
    type: connection-pool
    engine: postgres
    url: postgres://monitor:\${secret:rds!cluster-abc#password}@db:5432/erp
  - id: never-scheduled
    type: connection-pool
    engine: postgres
    url: "\${secret:other/secret}"
`);
    const read = statementsOf(json, 'RunnerRole').find(
      (s) => s['Action'] === 'secretsmanager:GetSecretValue',
    );
    expect(JSON.stringify(read?.['Resource'])).toContain(':secret:rds!cluster-abc-??????');
    expect(JSON.stringify(read)).not.toContain('#password');
    expect(JSON.stringify(read)).not.toContain('other/secret');
  });

  it("lets the watchdog do only what alerting needs: the routing key, no checks' secrets, S3, EKS or VPC", () => {
    const actions = actionsOf(watchdog);
    expect(actions.some((a) => /^(s3|eks|ec2):/.test(a))).toBe(false);
    const read = watchdog.filter((s) => s['Action'] === 'secretsmanager:GetSecretValue');
    expect(JSON.stringify(read)).toContain('secret:erp/pagerduty-??????');
    expect(JSON.stringify(read)).not.toContain('postgres-monitor');
    expect(actions).toEqual(
      expect.arrayContaining(['sns:Publish', 'events:PutEvents', 'dynamodb:UpdateItem']),
    );
  });
});

describe('EKS access entries', { timeout: synthTimeout }, () => {
  const example = readFileSync('examples/healthchecks.yaml', 'utf8');

  it('creates one access entry per named cluster, view policy scoped to the namespaces read, in its region only', () => {
    const { template } = synthChecker(example);
    template.resourceCountIs('AWS::EKS::AccessEntry', 1);
    const [entry] = Object.values(template.findResources('AWS::EKS::AccessEntry')) as {
      Properties: Record<string, unknown>;
      Condition: string;
    }[];
    expect(entry?.Properties).toMatchObject({
      ClusterName: 'secureconnect-prod',
      PrincipalArn: { 'Fn::GetAtt': [expect.stringMatching(/RunnerRole/), 'Arn'] },
      Type: 'STANDARD',
      KubernetesGroups: ['healthcheck-readers'],
      AccessPolicies: [
        {
          PolicyArn: {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
              ],
            ],
          },
          AccessScope: { Type: 'namespace', Namespaces: ['ingress-nginx', 'secureconnect-prod'] },
        },
      ],
    });
    const conditions = template.toJSON()['Conditions'] as Record<string, unknown>;
    expect(conditions[entry?.Condition ?? '']).toEqual({
      'Fn::Equals': [{ Ref: 'AWS::Region' }, 'ap-southeast-1'],
    });
  });

  it('is left out when the cluster access is managed elsewhere', () => {
    const { template } = synthChecker(example, { eksAccessEntries: false });
    template.resourceCountIs('AWS::EKS::AccessEntry', 0);
  });

  it('widens the view policy to the cluster for an all-namespaces check; node reads use the RBAC group', () => {
    const grant = { kind: 'eks', clusterName: 'c', region: 'eu-west-1' } as const;
    expect(
      clusterAccessPlans([
        { ...grant, namespace: 'a', nodes: false },
        { ...grant, nodes: false },
        { ...grant, nodes: true },
      ]),
    ).toEqual([
      { clusterName: 'c', region: 'eu-west-1', namespaces: 'all', pods: true, nodes: true },
    ]);
    expect(clusterAccessPlans([{ ...grant, nodes: true }])).toEqual([
      { clusterName: 'c', region: 'eu-west-1', namespaces: [], pods: false, nodes: true },
    ]);
  });
});
