import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';

export interface HealthCheckerVpcPlacement {
  /** The VPC the runner joins to reach private databases or a private EKS endpoint. */
  readonly vpc: IVpc;
  /**
   * Subnets for the runner's network interfaces; they need a route to AWS APIs (NAT gateway or
   * VPC endpoints for DynamoDB, SNS, EventBridge, Secrets Manager, EKS).
   * @default - the VPC's private subnets with egress
   */
  readonly subnets?: SubnetSelection;
  /**
   * Security groups for the runner; the targets' security groups must allow them in (the stack
   * outputs the ids as `RunnerSecurityGroupIds`).
   * @default - a new security group allowing all outbound traffic
   */
  readonly securityGroups?: readonly ISecurityGroup[];
  /**
   * Create the VPC endpoints the functions need when the subnets have no NAT gateway: gateway
   * endpoints for DynamoDB and S3 (on the subnets' route tables) and interface endpoints for
   * Secrets Manager, SNS, EventBridge, X-Ray, plus EKS when a check uses an EKS cluster. Leave off
   * when the subnets route to the internet (NAT) or the VPC already has them: an interface
   * endpoint with private DNS cannot exist twice in one VPC.
   * @default false
   */
  readonly vpcEndpoints?: boolean;
}

export interface HealthCheckerStatusPage {
  /**
   * Publish the status page (and its JSON feed) to a private S3 bucket after every run.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Serve it through CloudFront with origin access control (the bucket stays private).
   * @default false
   */
  readonly cloudFront?: boolean;
  /**
   * WAF web ACL ARN (CLOUDFRONT scope) for the distribution, e.g. an IP allow list.
   * @default - none: anyone with the URL can read the page
   */
  readonly webAclId?: string;
  /**
   * The page's heading.
   * @default 'Health status'
   */
  readonly title?: string;
}

/** How suites too large for one runner invocation are split (lib/shard/plan-shards.ts). */
export interface HealthCheckerSharding {
  /**
   * At most this many checks per invocation. Below it, the shard size comes from the worst case:
   * `defaults.concurrency` checks at once, each to the suite's longest timeout, inside the
   * runner's timeout minus the recording margin. Lower it for smaller, faster shards.
   * @default - no bound beyond the worst case
   */
  readonly maxChecksPerShard?: number;
  /**
   * Shards of one suite run at once (the Distributed Map's MaxConcurrency): each shard runs
   * `defaults.concurrency` checks, so this bounds the load on shared targets and the Lambda
   * concurrency a run takes.
   * @default 10
   */
  readonly mapMaxConcurrency?: number;
  /**
   * Percentage of a run's shards that may fail (after 2 retries each) before the map run fails.
   * The suite is alerted on the shards that finished either way; beyond it the execution fails.
   * @default 25
   */
  readonly toleratedFailurePercentage?: number;
}

export interface HealthCheckerProps {
  /**
   * Path of the YAML (or JSON) config, the same file the CLI reads. It is validated at synth
   * time (a bad config fails synth with field paths) and copied into the runner bundle as
   * written: `${secret:...}` references stay references and resolve at run time.
   */
  readonly configFile: string;

  /**
   * Secrets Manager secret (name or full ARN) holding the PagerDuty Events API v2 routing key,
   * read by the runner instead of `notifications.pagerduty.routingKey`.
   * @default - the config's `routingKey` (`${secret:ID}` is read from Secrets Manager)
   */
  readonly pagerDutyRoutingKeySecret?: string;

  /**
   * Who gets the checker's own alarms (runner errors, throttles and near-timeouts, dead letters,
   * a silent or failing watchdog, notifications refused for good) and the watchdog's missed-run
   * emails: email subscriptions of the ops topic, apart from the alert topic, so an alert storm
   * that gets the alert emails suspended (SNS: over 10 a second) cannot mute them. `[]` for none.
   * @default - the config's `notifications.email`
   */
  readonly opsEmails?: readonly string[];

  /**
   * An HTTPS endpoint subscribed to the ops topic that pages on the checker's own alarms, e.g.
   * PagerDuty's Amazon CloudWatch integration URL
   * (`https://events.pagerduty.com/integration/<integration key>/enqueue`). It gets CloudWatch
   * alarm notifications only (a message-body filter on `AlarmName`); missed runs page through
   * the config's PagerDuty channel. The URL is in the template: it holds that integration's key.
   * @default - none: the ops topic only emails
   */
  readonly opsPagerUrl?: string;

  /**
   * Reserved concurrency for the runner (caps parallel suite runs). Accounts with the default
   * low concurrency quota reject any reservation, hence off by default.
   * @default - unreserved
   */
  readonly reservedConcurrency?: number;

  /**
   * Run the runner inside a VPC (checks of private databases, a private EKS endpoint).
   * @default - not in a VPC
   */
  readonly vpcPlacement?: HealthCheckerVpcPlacement;

  /**
   * Environment variables of the runner: the values of the config's `${env:NAME}` references.
   * Every name the config references must be here (synth fails naming the field otherwise), and
   * the config is validated with these values. They are visible in the template and the Lambda
   * console, so credentials belong in `${secret:ID}` instead.
   * @default - none
   */
  readonly runnerEnvironment?: Readonly<Record<string, string>>;

  /**
   * ARNs of customer-managed KMS keys that encrypt the secrets the config references: the
   * runner gets `kms:Decrypt` on them, through Secrets Manager only.
   * Secrets encrypted with the default `aws/secretsmanager` key need nothing.
   * @default - none
   */
  readonly secretsKmsKeyArns?: readonly string[];

  /**
   * A name for this deployment (`prod`, `staging`): carried by every metric (a `stage`
   * dimension), alarm name and PagerDuty dedup key (`<stage>/<check>`), so two stacks in one
   * account never satisfy or close each other's alarms and incidents.
   * @default - the stack name
   */
  readonly stage?: string;

  /**
   * Create an EKS access entry for the runner's role on each cluster the config names (in the
   * account and region the stack deploys to), with `AmazonEKSViewPolicy` scoped to the namespaces
   * the `kubernetes-pods` checks read (the whole cluster when one reads all namespaces) and the
   * Kubernetes group `healthcheck-readers` for the node-level reads of `disk` `source: kubelet`
   * (bound by deploy/kubernetes/healthcheck-rbac.yaml). Turn off when the cluster's access is
   * managed elsewhere (an existing entry for the role makes the deploy fail).
   * @default true
   */
  readonly eksAccessEntries?: boolean;

  /**
   * Which CloudWatch custom metrics the runner emits. `per-suite`: run, failed and duration per
   * suite and check type, with each check's status in the log (the dashboard queries it with
   * Logs Insights); `per-check`: also a `CheckStatus` metric per check, about $0.30 a month
   * each (5,000 checks: $1,500 a month).
   * @default 'per-suite'
   */
  readonly checkMetrics?: 'per-suite' | 'per-check';

  /**
   * The runner's timeout; checks run under this budget minus a safety margin.
   * @default Duration.minutes(5)
   */
  readonly runnerTimeout?: Duration;

  /**
   * Sharding of suites whose worst case does not fit one runner invocation: they run as a Step
   * Functions Distributed Map over shards, then one alerting step. Small suites are unaffected.
   * @default - shard only what does not fit, 10 shards at once, 25% of shards may fail
   */
  readonly sharding?: HealthCheckerSharding;

  /**
   * Runner memory; more memory also means more CPU for many concurrent checks.
   * @default 512
   */
  readonly runnerMemorySize?: number;

  /**
   * Retention of the functions' log groups.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;

  /**
   * Bundle `@kubernetes/client-node` into the runner.
   * @default - only when the config has checks that use the Kubernetes API
   */
  readonly bundleKubernetesClient?: boolean;

  /**
   * Whether the schedules are enabled (disable to deploy without running checks yet).
   * @default true
   */
  readonly schedulesEnabled?: boolean;

  /**
   * How many times EventBridge Scheduler retries a failed invocation of the runner.
   * @default 2
   */
  readonly scheduleRetryAttempts?: number;

  /**
   * How long Scheduler keeps trying to deliver one scheduled run before sending it to the DLQ.
   * @default Duration.hours(1)
   */
  readonly scheduleMaxEventAge?: Duration;

  /**
   * How late a suite's run may complete before the watchdog alerts, counted from the latest time
   * it could have completed (scheduled time + the schedule's maximum event age + the runner's
   * timeout). The watchdog runs hourly, so an alert comes up to an hour after that.
   * @default Duration.hours(1)
   */
  readonly missedRunGrace?: Duration;

  /**
   * When the watchdog compares each suite's last completed run with its schedule.
   * @default 'rate(1 hour)'
   */
  readonly watchdogSchedule?: string;

  /**
   * What happens to the results table and the encryption key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Name of the CloudWatch dashboard.
   * @default - generated by CloudFormation
   */
  readonly dashboardName?: string;

  /**
   * Acknowledge the cdk-nag findings this design accepts (see nag-acknowledgements.ts). Turn off
   * to see every finding.
   * @default true
   */
  readonly acknowledgeNagFindings?: boolean;

  /**
   * The status page the runner publishes after every run.
   * @default - a private bucket, no CloudFront
   */
  readonly statusPage?: HealthCheckerStatusPage;

  /**
   * No longer used: the template does not depend on the synth date (the watchdog evaluates
   * each schedule at run time, in its time zone).
   * @deprecated
   * @default - unused
   */
  readonly periodReferenceTime?: Date;
}
