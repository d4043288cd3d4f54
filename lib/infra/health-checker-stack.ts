import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { HealthChecker } from './health-checker.ts';
import type { HealthCheckerProps, HealthCheckerVpcPlacement } from './health-checker-props.ts';

export interface HealthCheckerStackProps extends StackProps {
  readonly healthChecker: HealthCheckerProps;
  /**
   * Builds the VPC placement inside the stack (imported VPCs and subnets belong to a stack).
   * @default - `healthChecker.vpcPlacement`
   */
  readonly vpcPlacement?: (stack: Stack) => HealthCheckerVpcPlacement | undefined;
}

/** The deployable unit `bin/app.ts` creates: one stack holding one HealthChecker. */
export class HealthCheckerStack extends Stack {
  readonly healthChecker: HealthChecker;

  constructor(scope: Construct, id: string, props: HealthCheckerStackProps) {
    super(scope, id, props);
    const vpcPlacement = props.vpcPlacement?.(this) ?? props.healthChecker.vpcPlacement;
    this.healthChecker = new HealthChecker(this, 'HealthChecker', {
      ...props.healthChecker,
      ...(vpcPlacement ? { vpcPlacement } : {}),
    });
    const checker = this.healthChecker;
    new CfnOutput(this, 'RunnerRoleArn', {
      value: checker.runnerRole.roleArn,
      description: 'Grant this role read access to EKS clusters (access entry) and targets',
    });
    new CfnOutput(this, 'AlertTopicArn', { value: checker.topic.topicArn });
    new CfnOutput(this, 'EventBusName', { value: checker.eventBus.eventBusName });
    new CfnOutput(this, 'ResultsTableName', { value: checker.table.tableName });
  }
}
