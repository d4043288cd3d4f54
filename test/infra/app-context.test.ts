import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/core/errors.ts';
import { appOptionsFromContext, vpcPlacementFromContext } from '../../lib/infra/app-context.ts';
import { HealthCheckerStack } from '../../lib/infra/health-checker-stack.ts';
import { configFile, diskOnlyConfig, synthTimeout, unbundledApp } from './synth-helpers.ts';

const vpcContext = {
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: 'subnet-aaaa1111,subnet-bbbb2222',
};

function stackWith(context: Record<string, unknown>, yaml = diskOnlyConfig) {
  const app = unbundledApp(context);
  const options = appOptionsFromContext(app, () => false);
  const stack = new HealthCheckerStack(app, options.stackName, {
    healthChecker: { ...options.healthChecker, configFile: configFile(yaml) },
    vpcPlacement: vpcPlacementFromContext,
  });
  return { stack, template: Template.fromStack(stack), options };
}

function contextProblems(context: Record<string, unknown>): readonly string[] {
  try {
    stackWith(context);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the context to be rejected');
}

describe('cdk context', { timeout: synthTimeout }, () => {
  it('sets the runner timeout, memory, log retention, stage and environment', () => {
    const { template, stack } = stackWith({
      runnerTimeoutSeconds: '600',
      runnerMemoryMb: '1024',
      logRetentionDays: '30',
      stage: 'prod',
      runnerEnvironment: '{"DATA_DIR": "/mnt/data"}',
      checkMetrics: 'per-check',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 600,
      MemorySize: 1024,
      Environment: {
        Variables: Match.objectLike({
          DATA_DIR: '/mnt/data',
          HEALTHCHECK_STAGE: 'prod',
          HEALTHCHECK_CHECK_METRICS: 'per-check',
        }),
      },
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasOutput('Stage', { Value: 'prod' });
    expect(stack.healthChecker.stage).toBe('prod');
  });

  it('reads NAME=value pairs for the runner environment', () => {
    const { options } = stackWith({ runnerEnvironment: 'DATA_DIR=/mnt/data,REGION_NAME=hcm=1' });
    expect(options.healthChecker.runnerEnvironment).toEqual({
      DATA_DIR: '/mnt/data',
      REGION_NAME: 'hcm=1',
    });
  });

  it('reports every bad key at once', () => {
    expect(
      contextProblems({
        runnerTimeoutSeconds: '5000',
        runnerMemoryMb: 'lots',
        logRetentionDays: '10',
        stage: 'prod stage',
        checkMetrics: 'none',
        runnerEnvironment: '{bad json',
      }),
    ).toEqual([
      'context runnerTimeoutSeconds: expected a whole number from 10 to 900',
      'context runnerMemoryMb: expected a whole number from 128 to 10240',
      expect.stringMatching(/^context logRetentionDays: CloudWatch Logs keeps 1, 3, 5, 7, 14, 30/),
      'context stage: letters, digits and dashes, at most 40 characters',
      'context runnerEnvironment: not valid JSON',
      'context checkMetrics: expected one of per-suite, per-check',
    ]);
  });
});

describe('sharding from context', { timeout: synthTimeout }, () => {
  it('reads the shard size bound, the map concurrency and the tolerated failures', () => {
    const app = unbundledApp({
      maxChecksPerShard: '200',
      shardConcurrency: '4',
      shardFailurePercent: '50',
    });
    expect(appOptionsFromContext(app, () => false).healthChecker.sharding).toEqual({
      maxChecksPerShard: 200,
      mapMaxConcurrency: 4,
      toleratedFailurePercentage: 50,
    });
    expect(
      appOptionsFromContext(unbundledApp(), () => false).healthChecker.sharding,
    ).toBeUndefined();
  });

  it('names each bad key', () => {
    expect(
      contextProblems({
        maxChecksPerShard: '0',
        shardConcurrency: 'many',
        shardFailurePercent: '101',
      }),
    ).toEqual([
      'context maxChecksPerShard: expected a whole number from 1 to 100000',
      'context shardConcurrency: expected a whole number from 1 to 10000',
      'context shardFailurePercent: expected a whole number from 0 to 100',
    ]);
  });
});

describe('VPC placement from context ids, offline', { timeout: synthTimeout }, () => {
  it('imports the VPC and subnets by id (no lookup), puts the runner in them and outputs its security group', () => {
    const { template } = stackWith(vpcContext);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Runs one health check suite'),
      VpcConfig: {
        SubnetIds: ['subnet-aaaa1111', 'subnet-bbbb2222'],
        SecurityGroupIds: [
          { 'Fn::GetAtt': [Match.stringLikeRegexp('RunnerSecurityGroup'), 'GroupId'] },
        ],
      },
    });
    template.hasOutput('RunnerSecurityGroupIds', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('RunnerSecurityGroup'), 'GroupId'] },
    });
    // The watchdog stays out of the VPC: it only calls AWS APIs.
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { VpcConfig: Match.anyValue() }, 1);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
  });

  it('uses given security groups and outputs them', () => {
    const { template } = stackWith({ ...vpcContext, securityGroupIds: 'sg-0aaa,sg-0bbb' });
    template.hasOutput('RunnerSecurityGroupIds', { Value: 'sg-0aaa,sg-0bbb' });
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
  });

  it('creates the endpoints a private subnet without NAT needs, admitting only the runner', () => {
    const { template } = stackWith(
      { ...vpcContext, routeTableIds: 'rtb-0123', vpcEndpoints: 'true' },
      `
suites: [{id: pods, schedule: "rate(15 minutes)", checks: [pods]}]
checks:
  - id: pods
    type: kubernetes-pods
    eks: { clusterName: secureconnect-prod, region: ap-southeast-1 }
`,
    );
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map(
      (r) => (r as { Properties: Record<string, unknown> }).Properties,
    );
    const services = endpoints.map((e) => JSON.stringify(e['ServiceName']).match(/\.(\w+)"/)?.[1]);
    expect(services.sort()).toEqual(
      ['dynamodb', 'eks', 'events', 'secretsmanager', 'sns', 's3', 'xray'].sort(),
    );
    for (const gateway of endpoints.filter((e) => e['VpcEndpointType'] === 'Gateway')) {
      expect(gateway['RouteTableIds']).toEqual(['rtb-0123']);
    }
    for (const iface of endpoints.filter((e) => e['VpcEndpointType'] === 'Interface')) {
      expect(iface).toMatchObject({
        PrivateDnsEnabled: true,
        SubnetIds: ['subnet-aaaa1111', 'subnet-bbbb2222'],
      });
    }
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      SourceSecurityGroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('RunnerSecurityGroup'), 'GroupId'],
      },
    });
  });

  it('needs subnets with a VPC, and route tables for the gateway endpoints', () => {
    expect(contextProblems({ vpcId: 'vpc-1' })).toEqual([
      'context subnetIds: required with vpcId (comma-separated)',
    ]);
    expect(contextProblems({ ...vpcContext, vpcEndpoints: 'true' })).toEqual([
      "context routeTableIds: required with vpcEndpoints (the DynamoDB and S3 gateway endpoints are routes in the subnets' route tables)",
    ]);
  });
});
