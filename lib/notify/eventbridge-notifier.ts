import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
} from '@aws-sdk/client-eventbridge';
import type { AlertNotification } from '../alerting/notification.ts';
import { DeliveryError, type Notifier } from '../alerting/notifier.ts';

export const eventSource = 'healthcheck';
export const stateChangedDetailType = 'Health Check State Changed';

export interface EventBridgeNotifierOptions {
  readonly client: EventBridgeClient;
  /** Bus name or ARN. @default 'default' */
  readonly eventBusName?: string;
  readonly source?: string;
}

/** The `detail` of a `Health Check State Changed` event: what rules match on. */
export function stateChangedDetail(n: AlertNotification): Record<string, unknown> {
  return {
    check: n.check,
    ...(n.name ? { name: n.name } : {}),
    suite: n.suite,
    event: n.event,
    status: n.status,
    previousStatus: n.previousStatus,
    severity: n.severity,
    summary: n.summary,
    runbook: n.runbook ?? null,
    since: n.since,
    at: n.at,
    notificationId: n.id,
    details: n.details,
  };
}

/** Publishes every alert state change so other teams can route it with rules, without code here. */
export class EventBridgeNotifier implements Notifier {
  readonly channel = 'eventbridge';
  readonly #options: EventBridgeNotifierOptions;

  constructor(options: EventBridgeNotifierOptions) {
    this.#options = options;
  }

  accepts(): boolean {
    return true;
  }

  async deliver(n: AlertNotification, signal?: AbortSignal): Promise<void> {
    let out: PutEventsCommandOutput;
    try {
      out = await this.#options.client.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: this.#options.source ?? eventSource,
              DetailType: stateChangedDetailType,
              Detail: JSON.stringify(stateChangedDetail(n)),
              EventBusName: this.#options.eventBusName ?? 'default',
              Time: new Date(n.at),
              Resources: [],
            },
          ],
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw new DeliveryError(`EventBridge PutEvents failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if ((out.FailedEntryCount ?? 0) > 0) {
      const entry = out.Entries?.[0];
      throw new DeliveryError(
        `EventBridge rejected the event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim(),
      );
    }
  }
}
