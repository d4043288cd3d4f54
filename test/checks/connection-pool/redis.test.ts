import { createServer } from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../lib/checks/connection-pool/run.ts';
import { context, password, poolConfig, redisUrl, suffix } from './pool-servers.ts';

const admin = createClient({ url: redisUrl, socket: { reconnectStrategy: false } });
const user = `hc-pool-${suffix()}`;
const secret = password();

beforeAll(async () => {
  await admin.connect();
  await admin.sendCommand(['ACL', 'SETUSER', user, 'on', `>${secret}`, '~*', '&*', '+@all']);
});

afterAll(async () => {
  await admin.sendCommand(['ACL', 'DELUSER', user]);
  await admin.close();
});

describe('connection-pool redis', () => {
  it('answers PONG and reports blocked clients, as its own ACL user', async () => {
    const key = `hc-pool-block-${suffix()}`;
    const blocker = admin.duplicate();
    blocker.on('error', () => {});
    await blocker.connect();
    const blocked = blocker.blPop(key, 5).catch(() => null);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const outcome = await run(
        poolConfig({
          engine: 'redis',
          url: `redis://${user}:${encodeURIComponent(secret)}@127.0.0.1:6379/0`,
        }),
        context(),
      );
      expect(outcome.status).toBe('ok');
      expect(outcome.details).toMatchObject({ engine: 'redis', ping: 'PONG', maxClients: 10000 });
      expect(outcome.details?.['blockedClients']).toBeGreaterThanOrEqual(1);
      expect(outcome.details?.['used']).toBe((outcome.details?.['connectedClients'] as number) - 1);
      expect(JSON.stringify(outcome)).not.toContain(secret);
    } finally {
      await admin.rPush(key, 'done');
      await blocked;
      await blocker.close();
      await admin.del(key);
    }
  });

  it('a wrong password is unknown, names the user, and never shows the password', async () => {
    const wrong = password();
    const outcome = await run(
      poolConfig({ engine: 'redis', url: `redis://${user}:${wrong}@127.0.0.1:6379` }),
      context(),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toMatch(
      new RegExp(
        `^redis 127\\.0\\.0\\.1:6379: authentication failed for user ${user} \\(WRONGPASS`,
      ),
    );
    expect(JSON.stringify(outcome)).not.toContain(wrong);
  });

  // A real Redis cannot be made to answer PING wrongly on demand; this loopback server speaks
  // just enough RESP to accept the client's hello and answer PING the way a loading replica does.
  it('a PING that does not answer PONG is critical', async () => {
    const server = createServer((socket) => {
      socket.on('error', () => {});
      socket.on('data', (data) => {
        const commands = data.toString().split('*').filter(Boolean);
        for (const command of commands) {
          socket.write(
            /\r\nPING\r\n/i.test(command)
              ? '-LOADING Redis is loading the dataset in memory\r\n'
              : '+OK\r\n',
          );
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const outcome = await run(
        poolConfig({ engine: 'redis', url: `redis://127.0.0.1:${port}` }),
        context(),
      );
      expect(outcome.status).toBe('critical');
      expect(outcome.summary).toBe(
        `redis 127.0.0.1:${port}: PING failed: LOADING Redis is loading the dataset in memory`,
      );
    } finally {
      server.close();
    }
  });
});
