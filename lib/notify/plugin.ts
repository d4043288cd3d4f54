import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SNSClient } from '@aws-sdk/client-sns';
import type * as z from 'zod';
import type { AlertLogger, Notifier } from '../alerting/notifier.ts';
import type { SecretResolver } from '../config/references.ts';
import type { RateLimit } from '../shared/rate-pacer.ts';
import type { LocalEmail } from './local-email-notifier.ts';

/** PagerDuty client tuning (tests, and senders that share an integration key). */
export interface PagerDutyTuning {
  readonly attempts?: number;
  readonly baseDelayMs?: number;
  /** @default pagerDutyRate (lib/notify/pagerduty-client.ts) */
  readonly rate?: RateLimit;
  readonly maxWaitMs?: number;
}

/** Where notifiers are built: the CLI on this machine, or the runner Lambda. Clients are injected. */
export type NotifierRuntime =
  | {
      readonly target: 'local';
      readonly secrets: SecretResolver;
      readonly logger: AlertLogger;
      /** The state dir (the local email outbox file lives there). */
      readonly stateDir: string;
      /** Where each local email goes once it is in the outbox file (the CLI prints it). */
      readonly print: (email: LocalEmail) => void;
      /** The config's time zone, for times in messages. */
      readonly timeZone: string;
      /** Overrides for tests and tuning (e.g. a quicker PagerDuty retry). */
      readonly pagerDuty?: PagerDutyTuning;
    }
  | {
      readonly target: 'aws';
      readonly secrets: SecretResolver;
      readonly logger: AlertLogger;
      readonly sns: SNSClient;
      readonly topicArn: string;
      readonly eventBridge: EventBridgeClient;
      readonly eventBusName: string;
      /** The config's time zone, for times in messages. */
      readonly timeZone: string;
      /** The stack's stage: PagerDuty dedup keys become `<stage>/<check>` (lib/infra stages). */
      readonly stage?: string;
      readonly pagerDuty?: PagerDutyTuning;
      /**
       * Epoch ms after which a rate-limited delivery is left in the outbox instead of waiting for
       * its turn: the invocation keeps time to record what was delivered. Read at each delivery
       * (the notifiers outlive one invocation).
       */
      readonly deliveryDeadline?: () => number | undefined;
    };

/** What a notifier needs on AWS; the stack turns each into IAM (and documentation). */
export type NotifierGrant =
  | { readonly kind: 'secret-read'; readonly secretIds: readonly string[] }
  | { readonly kind: 'alert-topic-publish' }
  | { readonly kind: 'event-bus-put' }
  /** Calls out of AWS (a VPC-placed runner needs a NAT gateway for it). */
  | { readonly kind: 'internet-egress'; readonly to: string };

export interface NotifierDefinition<Key extends string | undefined, Schema extends z.ZodType> {
  /** The channel name stored in outboxes ("pagerduty"); also the registry name. */
  readonly name: string;
  readonly description: string;
  /** The channel name its notifier has on AWS when it differs (email is the SNS topic there). */
  readonly awsChannel?: string;
  /** `notifications.<configKey>` in the config; undefined for a built-in channel. */
  readonly configKey: Key;
  readonly schema: Schema;
  /** The notifier for this runtime, or undefined when it has nothing to do there. */
  readonly create: (
    config: z.output<Schema>,
    runtime: NotifierRuntime,
  ) => Promise<Notifier | undefined>;
  /** Grants the notifier needs when deployed (given its config). */
  readonly grants?: (config: z.output<Schema>) => readonly NotifierGrant[];
}

export function defineNotifier<Key extends string | undefined, Schema extends z.ZodType>(
  definition: NotifierDefinition<Key, Schema>,
): NotifierDefinition<Key, Schema> {
  return definition;
}
