import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { statusPageObjects } from '../report/status-page-names.ts';
import { HealthChecker } from './health-checker.ts';
import type { HealthCheckerProps, HealthCheckerVpcPlacement } from './health-checker-props.ts';
import { stackOutputs } from './stack-outputs.ts';

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
    new CfnOutput(this, stackOutputs.runnerRole, {
      value: checker.runnerRole.roleArn,
      description: 'The role the checks run as: grant it read access to targets',
    });
    if (checker.runnerSecurityGroups.length > 0) {
      new CfnOutput(this, stackOutputs.runnerSecurityGroups, {
        value: Fn.join(
          ',',
          checker.runnerSecurityGroups.map((sg) => sg.securityGroupId),
        ),
        description: "Add to the inbound rules of the targets' security groups (databases, EKS)",
      });
    }
    new CfnOutput(this, stackOutputs.alertTopic, { value: checker.topic.topicArn });
    new CfnOutput(this, stackOutputs.opsTopic, {
      value: checker.opsTopic.topicArn,
      description: "The checker's own alarms and missed runs: subscribe whoever must hear of them",
    });
    new CfnOutput(this, stackOutputs.eventBus, { value: checker.eventBus.eventBusName });
    new CfnOutput(this, stackOutputs.resultsTable, {
      value: checker.table.tableName,
      description: 'healthcheck status --table NAME (or --stack this-stack)',
    });
    new CfnOutput(this, stackOutputs.stage, { value: checker.stage });
    new CfnOutput(this, stackOutputs.dashboard, { value: checker.dashboard.dashboardName });
    if (checker.statusPage) {
      new CfnOutput(this, stackOutputs.statusPageBucket, {
        value: checker.statusPage.bucket.bucketName,
        description: `Open the status page: aws s3 presign s3://<this bucket>/${statusPageObjects.page} --expires-in 3600`,
      });
      const distribution = checker.statusPage.distribution;
      if (distribution) {
        new CfnOutput(this, stackOutputs.statusPageUrl, {
          value: `https://${distribution.distributionDomainName}/`,
          description: 'The status page through CloudFront',
        });
      }
    }
  }
}
