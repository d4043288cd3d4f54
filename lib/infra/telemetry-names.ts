/**
 * Metric and event names shared by the runner (which emits them) and the stack (which alarms and
 * graphs them). Kept free of CDK imports so the runner bundle can import it.
 */
export const metricNamespace = 'Healthcheck';

export const metricNames = {
  checksRun: 'ChecksRun',
  checksFailed: 'ChecksFailed',
  checkDuration: 'CheckDuration',
  /** One per check result; the value is 0 ok, 1 warning, 2 critical, 3 unknown. */
  checkStatus: 'CheckStatus',
  /** Emitted once per completed suite run; its absence drives the missing-data alarm. */
  suiteCompleted: 'SuiteCompleted',
  /** Per channel, from every run and delivery pass. */
  notificationsDelivered: 'NotificationsDelivered',
  notificationsPending: 'NotificationsPending',
  /** A channel refused a notification for good (PagerDuty 4xx): alarmed. */
  notificationsRefused: 'NotificationsRefused',
} as const;

export const dimensionNames = {
  suite: 'suite',
  check: 'check',
  checkType: 'checkType',
  channel: 'channel',
} as const;

/** Severity rank for the status metric, so a graph's "up" is "worse". */
export const statusMetricValue = { ok: 0, warning: 1, critical: 2, unknown: 3 } as const;

/** Lambda environment variable names the construct sets and the handlers read. */
export const runnerEnvironment = {
  tableName: 'HEALTHCHECK_TABLE',
  topicArn: 'HEALTHCHECK_TOPIC_ARN',
  eventBusName: 'HEALTHCHECK_EVENT_BUS_NAME',
  configFile: 'HEALTHCHECK_CONFIG_FILE',
  /** Endpoint override for local runs against dynalite; never set by the stack. */
  dynamoDbEndpoint: 'HEALTHCHECK_DYNAMODB_ENDPOINT',
} as const;

/** The file name the config is copied to inside the runner bundle. */
export const bundledConfigFileName = 'healthchecks.yaml';

/** Powertools adds `service` as a dimension to every metric; alarms must name it too. */
export const runnerServiceName = 'healthcheck-runner';
