import * as z from 'zod';
import { defineNotifier } from '../plugin.ts';

/** Built in on AWS: every notification as a `Health Check State Changed` event on the stack's bus. */
export const eventBridgeNotifier = defineNotifier({
  name: 'eventbridge',
  description: 'Health Check State Changed events on the stack event bus (AWS only)',
  configKey: undefined,
  schema: z.undefined(),
  async create(_config, runtime) {
    if (runtime.target !== 'aws') return undefined;
    const { EventBridgeNotifier } = await import('../eventbridge-notifier.ts');
    return new EventBridgeNotifier({
      client: runtime.eventBridge,
      eventBusName: runtime.eventBusName,
    });
  },
  grants: () => [{ kind: 'event-bus-put' }],
});
