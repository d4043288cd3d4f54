/**
 * The stack's output keys: what `healthcheck status --stack NAME` and the README's commands read.
 * Kept free of CDK imports so the CLI can import it.
 */
export const stackOutputs = {
  resultsTable: 'ResultsTableName',
  runnerRole: 'RunnerRoleArn',
  runnerSecurityGroups: 'RunnerSecurityGroupIds',
  alertTopic: 'AlertTopicArn',
  opsTopic: 'OpsTopicArn',
  eventBus: 'EventBusName',
  stage: 'Stage',
  dashboard: 'DashboardName',
  statusPageBucket: 'StatusPageBucketName',
  statusPageUrl: 'StatusPageUrl',
} as const;
