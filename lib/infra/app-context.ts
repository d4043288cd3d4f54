import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import { type ISecurityGroup, type ISubnet, SecurityGroup, Subnet, Vpc } from 'aws-cdk-lib/aws-ec2';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ConfigError } from '../core/errors.ts';
import type { HealthCheckerProps, HealthCheckerVpcPlacement } from './health-checker-props.ts';

/** Config file used when `-c config=...` is not given: the user's, else the shipped example. */
export const defaultConfigFiles = ['healthchecks.yaml', 'examples/healthchecks.yaml'];

export interface AppOptions {
  readonly stackName: string;
  readonly healthChecker: HealthCheckerProps;
}

type Context = (key: string) => unknown;

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Reads one context key, collecting a `context KEY: problem` line instead of throwing. */
class ContextReader {
  readonly problems: string[] = [];
  readonly #context: Context;

  constructor(context: Context) {
    this.#context = context;
  }

  string(key: string): string | undefined {
    const value = this.#context(key);
    if (value === undefined || value === '') return undefined;
    return String(value);
  }

  integer(key: string, min: number, max: number): number | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`context ${key}: expected a whole number from ${min} to ${max}`);
      return undefined;
    }
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.#context(key);
    if (value === undefined || value === '') return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    this.problems.push(`context ${key}: expected true or false`);
    return undefined;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const text = this.string(key);
    if (text === undefined) return undefined;
    if ((values as readonly string[]).includes(text)) return text as T;
    this.problems.push(`context ${key}: expected one of ${values.join(', ')}`);
    return undefined;
  }

  /** `{"NAME": "value"}` (JSON, or an object in cdk.json) or `NAME=value,NAME2=value2`. */
  environment(key: string): Record<string, string> | undefined {
    const value = this.#context(key);
    if (value === undefined || value === '') return undefined;
    let entries: [string, unknown][];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      entries = Object.entries(value);
    } else if (typeof value === 'string' && value.trim().startsWith('{')) {
      try {
        entries = Object.entries(JSON.parse(value) as Record<string, unknown>);
      } catch {
        this.problems.push(`context ${key}: not valid JSON`);
        return undefined;
      }
    } else {
      entries = list(value).map((pair) => {
        const at = pair.indexOf('=');
        return at < 0 ? [pair, undefined] : [pair.slice(0, at).trim(), pair.slice(at + 1)];
      });
    }
    const environment: Record<string, string> = {};
    for (const [name, item] of entries) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || typeof item !== 'string') {
        this.problems.push(
          `context ${key}: "${name}" needs a string value (NAME=value, or {"NAME": "value"})`,
        );
        continue;
      }
      environment[name] = item;
    }
    return environment;
  }
}

const retentionDays = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

/**
 * Reads the app's settings from CDK context (`-c key=value` or cdk.json); the README's "Deploying
 * to AWS" lists them
 * (among them `statusPage`: `bucket`, `cloudfront` or `off`, with `statusPageWebAclId`; `opsEmails`
 * and `opsPagerUrl` for the ops topic). Every bad key is reported at once, like a bad config.
 */
export function appOptionsFromContext(
  scope: Construct,
  exists: (path: string) => boolean,
): AppOptions {
  const read = new ContextReader((key) => scope.node.tryGetContext(key));
  const configFile =
    read.string('config') ??
    defaultConfigFiles.find((file) => exists(file)) ??
    defaultConfigFiles[0] ??
    '';
  const reservedConcurrency = read.integer('reservedConcurrency', 0, 10_000);
  const timeoutSeconds = read.integer('runnerTimeoutSeconds', 10, 900);
  const memorySize = read.integer('runnerMemoryMb', 128, 10_240);
  const logRetention = read.integer('logRetentionDays', 1, 9999);
  if (logRetention !== undefined && !retentionDays.has(logRetention)) {
    read.problems.push(
      `context logRetentionDays: CloudWatch Logs keeps ${[...retentionDays].filter((d) => d < 9999).join(', ')} days (or 9999 for never expire)`,
    );
  }
  const secret = read.string('pagerDutySecret');
  const opsEmailsContext = scope.node.tryGetContext('opsEmails');
  const opsEmails = opsEmailsContext === undefined ? undefined : list(opsEmailsContext);
  const opsPagerUrl = read.string('opsPagerUrl');
  const stage = read.string('stage');
  if (stage !== undefined && !/^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/.test(stage)) {
    read.problems.push('context stage: letters, digits and dashes, at most 40 characters');
  }
  const runnerEnvironment = read.environment('runnerEnvironment');
  const kmsKeys = list(scope.node.tryGetContext('secretsKmsKeyArns'));
  const eksAccessEntries = read.boolean('eksAccessEntries');
  const checkMetrics = read.oneOf('checkMetrics', ['per-suite', 'per-check'] as const);
  const page = read.oneOf('statusPage', ['bucket', 'cloudfront', 'off'] as const);
  const webAclId = read.string('statusPageWebAclId');
  const maxChecksPerShard = read.integer('maxChecksPerShard', 1, 100_000);
  const mapMaxConcurrency = read.integer('shardConcurrency', 1, 10_000);
  const toleratedFailurePercentage = read.integer('shardFailurePercent', 0, 100);
  const sharding = {
    ...(maxChecksPerShard === undefined ? {} : { maxChecksPerShard }),
    ...(mapMaxConcurrency === undefined ? {} : { mapMaxConcurrency }),
    ...(toleratedFailurePercentage === undefined ? {} : { toleratedFailurePercentage }),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems, 'cdk context');
  return {
    stackName: read.string('stackName') ?? 'HealthChecker',
    healthChecker: {
      configFile,
      ...(secret ? { pagerDutyRoutingKeySecret: secret } : {}),
      ...(opsEmails === undefined ? {} : { opsEmails }),
      ...(opsPagerUrl ? { opsPagerUrl } : {}),
      ...(reservedConcurrency === undefined ? {} : { reservedConcurrency }),
      ...(timeoutSeconds === undefined ? {} : { runnerTimeout: Duration.seconds(timeoutSeconds) }),
      ...(memorySize === undefined ? {} : { runnerMemorySize: memorySize }),
      ...(logRetention === undefined ? {} : { logRetention: logRetention as RetentionDays }),
      ...(stage ? { stage } : {}),
      ...(runnerEnvironment ? { runnerEnvironment } : {}),
      ...(kmsKeys.length > 0 ? { secretsKmsKeyArns: kmsKeys } : {}),
      ...(eksAccessEntries === undefined ? {} : { eksAccessEntries }),
      ...(checkMetrics ? { checkMetrics } : {}),
      ...(Object.keys(sharding).length > 0 ? { sharding } : {}),
      ...(page === undefined
        ? {}
        : {
            statusPage: {
              enabled: page !== 'off',
              cloudFront: page === 'cloudfront',
              ...(webAclId ? { webAclId } : {}),
            },
          }),
    },
  };
}

/**
 * VPC placement from context ids (`vpcId`, `subnetIds`, optional `securityGroupIds`,
 * `routeTableIds` and `vpcEndpoints`), or undefined when `vpcId` is not set. Everything is
 * imported by id, so synth needs no AWS credentials and no context lookup.
 */
export function vpcPlacementFromContext(stack: Stack): HealthCheckerVpcPlacement | undefined {
  const read = new ContextReader((key) => stack.node.tryGetContext(key));
  const vpcId = read.string('vpcId');
  if (vpcId === undefined) return undefined;
  const subnetIds = list(stack.node.tryGetContext('subnetIds'));
  const routeTableIds = list(stack.node.tryGetContext('routeTableIds'));
  const vpcEndpoints = read.boolean('vpcEndpoints') ?? false;
  if (subnetIds.length === 0)
    read.problems.push('context subnetIds: required with vpcId (comma-separated)');
  if (
    routeTableIds.length > 0 &&
    routeTableIds.length !== 1 &&
    routeTableIds.length !== subnetIds.length
  ) {
    read.problems.push(
      'context routeTableIds: one route table for all subnets, or one per subnet in the order of subnetIds',
    );
  }
  if (vpcEndpoints && routeTableIds.length === 0) {
    read.problems.push(
      "context routeTableIds: required with vpcEndpoints (the DynamoDB and S3 gateway endpoints are routes in the subnets' route tables)",
    );
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems, 'cdk context');
  const vpc = Vpc.fromVpcAttributes(stack, 'ImportedVpc', {
    vpcId,
    availabilityZones: Stack.of(stack).availabilityZones,
  });
  const subnets: ISubnet[] = subnetIds.map((subnetId, i) => {
    const routeTableId = routeTableIds[routeTableIds.length === 1 ? 0 : i];
    const subnet = Subnet.fromSubnetAttributes(stack, `Subnet-${subnetId}`, {
      subnetId,
      ...(routeTableId ? { routeTableId } : {}),
    });
    // Route tables matter only to gateway endpoints, which require them above.
    if (!routeTableId) {
      Annotations.of(subnet).acknowledgeWarning(
        '@aws-cdk/aws-ec2:noSubnetRouteTableId',
        'No gateway endpoints are created without vpcEndpoints, so no route table is read.',
      );
    }
    return subnet;
  });
  const securityGroups: ISecurityGroup[] = list(stack.node.tryGetContext('securityGroupIds')).map(
    (id) => SecurityGroup.fromSecurityGroupId(stack, `Sg-${id}`, id),
  );
  return {
    vpc,
    subnets: { subnets },
    ...(securityGroups.length > 0 ? { securityGroups } : {}),
    vpcEndpoints,
  };
}
