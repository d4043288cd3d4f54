import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { statusPageObjects } from '../report/status-page-names.ts';
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
    if (checker.statusPage) {
      new CfnOutput(this, 'StatusPageBucketName', {
        value: checker.statusPage.bucket.bucketName,
        description: `Open the status page: aws s3 presign s3://<this bucket>/${statusPageObjects.page} --expires-in 3600`,
      });
      const distribution = checker.statusPage.distribution;
      if (distribution) {
        new CfnOutput(this, 'StatusPageUrl', {
          value: `https://${distribution.distributionDomainName}/`,
          description: 'The status page through CloudFront',
        });
      }
    }
  }
}
