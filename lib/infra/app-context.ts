import { Stack } from 'aws-cdk-lib';
import { type ISecurityGroup, SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { ConfigError } from '../core/errors.ts';
import type { HealthCheckerProps, HealthCheckerVpcPlacement } from './health-checker-props.ts';

/** Config file used when `-c config=...` is not given: the user's, else the shipped example. */
export const defaultConfigFiles = ['healthchecks.yaml', 'examples/healthchecks.yaml'];

export interface AppOptions {
  readonly stackName: string;
  readonly healthChecker: HealthCheckerProps;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * Reads the app's settings from CDK context (`-c key=value` or cdk.json):
 * `config`, `stackName`, `pagerDutySecret`, `reservedConcurrency`, `statusPage` (`bucket`,
 * `cloudfront` or `off`) with `statusPageWebAclId`, and for VPC placement
 * `vpcId` + `subnetIds` (+ optional `securityGroupIds`). Imports the VPC by id, so synth needs
 * no AWS credentials or lookups.
 */
export function appOptionsFromContext(
  scope: Construct,
  exists: (path: string) => boolean,
): AppOptions {
  const context = (key: string): unknown => scope.node.tryGetContext(key);
  const given = context('config');
  const configFile =
    typeof given === 'string' && given !== ''
      ? given
      : (defaultConfigFiles.find((file) => exists(file)) ?? defaultConfigFiles[0] ?? '');
  const reserved = context('reservedConcurrency');
  const reservedConcurrency = reserved === undefined ? undefined : Number(reserved);
  if (reservedConcurrency !== undefined && !Number.isInteger(reservedConcurrency)) {
    throw new ConfigError(['context reservedConcurrency: expected an integer'], 'cdk context');
  }
  const secret = context('pagerDutySecret');
  const page = context('statusPage');
  if (page !== undefined && !['bucket', 'cloudfront', 'off'].includes(String(page))) {
    throw new ConfigError(
      ['context statusPage: expected bucket (default), cloudfront or off'],
      'cdk context',
    );
  }
  const webAclId = context('statusPageWebAclId');
  return {
    stackName:
      typeof context('stackName') === 'string' ? String(context('stackName')) : 'HealthChecker',
    healthChecker: {
      configFile,
      ...(typeof secret === 'string' && secret !== '' ? { pagerDutyRoutingKeySecret: secret } : {}),
      ...(reservedConcurrency === undefined ? {} : { reservedConcurrency }),
      ...(page === undefined
        ? {}
        : {
            statusPage: {
              enabled: page !== 'off',
              cloudFront: page === 'cloudfront',
              ...(typeof webAclId === 'string' && webAclId !== '' ? { webAclId } : {}),
            },
          }),
    },
  };
}

/** VPC placement from context ids, or undefined when `vpcId` is not set. */
export function vpcPlacementFromContext(stack: Stack): HealthCheckerVpcPlacement | undefined {
  const vpcId = stack.node.tryGetContext('vpcId') as unknown;
  if (typeof vpcId !== 'string' || vpcId === '') return undefined;
  const subnetIds = list(stack.node.tryGetContext('subnetIds'));
  if (subnetIds.length === 0) {
    throw new ConfigError(
      ['context subnetIds: required with vpcId (comma-separated)'],
      'cdk context',
    );
  }
  const vpc = Vpc.fromVpcAttributes(stack, 'ImportedVpc', {
    vpcId,
    availabilityZones: Stack.of(stack).availabilityZones,
  });
  const securityGroups: ISecurityGroup[] = list(stack.node.tryGetContext('securityGroupIds')).map(
    (id) => SecurityGroup.fromSecurityGroupId(stack, `Sg-${id}`, id),
  );
  return {
    vpc,
    subnets: { subnets: subnetIds.map((id) => Subnet.fromSubnetId(stack, `Subnet-${id}`, id)) },
    ...(securityGroups.length > 0 ? { securityGroups } : {}),
  };
}
