import { kubePod } from '../../support/fake-kube-api.ts';

export const now = new Date('2026-11-22T01:00:00Z');
const ns = 'secureconnect-prod';

/** One pod per failure reason, plus healthy, fresh and completed pods that must not be flagged. */
export function podZoo() {
  const p = (f: Parameters<typeof kubePod>[0]) => kubePod({ now, namespace: ns, ...f });
  return {
    flagged: {
      'chat-service-7d9f8b6c5-x2k4q': p({
        name: 'chat-service-7d9f8b6c5-x2k4q',
        containers: [
          {
            name: 'chat-service',
            restarts: 12,
            waiting: {
              reason: 'CrashLoopBackOff',
              message: 'back-off 5m0s restarting failed container',
            },
            lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedMinutesAgo: 3 },
          },
        ],
      }),
      'api-gateway-5c6d7e8f9-imgpl': p({
        name: 'api-gateway-5c6d7e8f9-imgpl',
        containers: [{ name: 'api-gateway', waiting: { reason: 'ImagePullBackOff' } }],
      }),
      'video-service-6b7c8d9e0-errim': p({
        name: 'video-service-6b7c8d9e0-errim',
        containers: [{ name: 'video-service', waiting: { reason: 'ErrImagePull' } }],
      }),
      'auth-service-4a5b6c7d8-cfgerr': p({
        name: 'auth-service-4a5b6c7d8-cfgerr',
        containers: [{ name: 'auth-service', waiting: { reason: 'CreateContainerConfigError' } }],
      }),
      'notify-worker-1a2b3c4d5-other': p({
        name: 'notify-worker-1a2b3c4d5-other',
        containers: [{ name: 'notify-worker', waiting: { reason: 'ContainerStatusUnknown' } }],
      }),
      'search-api-2b3c4d5e6-oomkd': p({
        name: 'search-api-2b3c4d5e6-oomkd',
        containers: [
          {
            name: 'search-api',
            restarts: 1,
            lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedMinutesAgo: 20 },
          },
        ],
      }),
      'cockroachdb-2': p({
        name: 'cockroachdb-2',
        owner: { kind: 'StatefulSet', name: 'cockroachdb' },
        phase: 'Pending',
        createdMinutesAgo: 30,
        containers: [{ name: 'cockroachdb' }],
      }),
      'presence-svc-3c4d5e6f7-nrdy': p({
        name: 'presence-svc-3c4d5e6f7-nrdy',
        readyChangedMinutesAgo: 25,
        containers: [{ name: 'presence-svc', ready: false }],
      }),
      'media-relay-4d5e6f7a8-rstrt': p({
        name: 'media-relay-4d5e6f7a8-rstrt',
        containers: [{ name: 'media-relay', restarts: 9 }],
      }),
      'report-gen-5e6f7a8b9-faild': p({
        name: 'report-gen-5e6f7a8b9-faild',
        phase: 'Failed',
        containers: [{ name: 'report-gen', terminated: { reason: 'Error', exitCode: 1 } }],
      }),
      'ws-gateway-6f7a8b9c0-evict': p({
        name: 'ws-gateway-6f7a8b9c0-evict',
        phase: 'Failed',
        reason: 'Evicted',
        containers: [
          { name: 'ws-gateway', terminated: { reason: 'ContainerStatusUnknown', exitCode: 137 } },
        ],
      }),
      'turn-server-7a8b9c0d1-unkwn': p({ name: 'turn-server-7a8b9c0d1-unkwn', phase: 'Unknown' }),
      'old-api-8b9c0d1e2-termn': p({ name: 'old-api-8b9c0d1e2-termn', deletedMinutesAgo: 40 }),
      'db-migrate-29382-failj': p({
        name: 'db-migrate-29382-failj',
        owner: { kind: 'Job', name: 'db-migrate-29382' },
        phase: 'Failed',
        containers: [{ name: 'migrate', terminated: { reason: 'Error', exitCode: 2 } }],
      }),
      'chat-service-7d9f8b6c5-init1': p({
        name: 'chat-service-7d9f8b6c5-init1',
        phase: 'Pending',
        createdMinutesAgo: 3,
        initContainers: [
          { name: 'wait-for-db', restarts: 4, waiting: { reason: 'CrashLoopBackOff' } },
        ],
        containers: [{ name: 'chat-service', waiting: { reason: 'PodInitializing' } }],
      }),
    },
    fine: {
      'chat-service-7d9f8b6c5-ok001': p({ name: 'chat-service-7d9f8b6c5-ok001' }),
      'chat-service-7d9f8b6c5-ok002': p({
        name: 'chat-service-7d9f8b6c5-ok002',
        containers: [{ name: 'chat-service', restarts: 2 }],
      }),
      'search-api-2b3c4d5e6-oldoom': p({
        name: 'search-api-2b3c4d5e6-oldoom',
        containers: [
          {
            name: 'search-api',
            restarts: 1,
            lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedMinutesAgo: 300 },
          },
        ],
      }),
      'cockroachdb-3': p({
        name: 'cockroachdb-3',
        owner: { kind: 'StatefulSet', name: 'cockroachdb' },
        phase: 'Pending',
        createdMinutesAgo: 2,
        containers: [{ name: 'cockroachdb', waiting: { reason: 'ContainerCreating' } }],
      }),
      'presence-svc-3c4d5e6f7-fresh': p({
        name: 'presence-svc-3c4d5e6f7-fresh',
        readyChangedMinutesAgo: 3,
        containers: [{ name: 'presence-svc', ready: false }],
      }),
      'old-api-8b9c0d1e2-justdel': p({ name: 'old-api-8b9c0d1e2-justdel', deletedMinutesAgo: 1 }),
      'backup-29381-done1': p({
        name: 'backup-29381-done1',
        owner: { kind: 'Job', name: 'backup-29381' },
        phase: 'Succeeded',
        containers: [
          {
            name: 'backup',
            restarts: 7,
            terminated: { reason: 'Completed', exitCode: 0 },
            lastTerminated: { reason: 'OOMKilled', exitCode: 137, finishedMinutesAgo: 10 },
          },
        ],
      }),
    },
  };
}
