import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../lib/cli/io.ts';
import { main } from '../../lib/cli/main.ts';
import { parseConfigText } from '../../lib/config/load-config.ts';
import { executeRun } from '../../lib/run/execute-run.ts';
import { startDynalite } from '../support/dynalite.ts';
import { loaderOf } from '../support/fake-checks.ts';
import { useTempDirs } from '../support/temp-dir.ts';

// `healthcheck status|history --table/--stack` read a deployed checker's table with the shell's
// AWS credentials. The table is dynalite (the SDK's AWS_ENDPOINT_URL_DYNAMODB points at it) filled
// by the real runner path; CloudFormation has no local server, so its answer is mocked.
const cloudformation = mockClient(CloudFormationClient);
const tempDir = useTempDirs();
const yaml = `
timezone: Asia/Ho_Chi_Minh
suites: [{id: morning, schedule: "cron(0 8 * * ? *)", checks: [root-disk, data-disk]}]
checks:
  - {id: root-disk, type: disk, paths: [/]}
  - {id: data-disk, type: disk, paths: [/]}
`;
let tableName = '';
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  const dynamo = await startDynalite();
  const created = await dynamo.newStore();
  tableName = created.tableName;
  const config = parseConfigText(yaml, { env: {} });
  const loadCheck = loaderOf({
    disk: async () => ({ status: 'critical', summary: '/ is 97% full' }) as never,
  });
  await executeRun(
    config,
    { suites: ['morning'] },
    {
      loadCheck,
      alerting: {
        store: created.store,
        notifiers: [],
        scheduledTime: new Date('2026-11-22T01:00:00Z'),
      },
    },
  );
  const env = {
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
});
afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (t: string) => out.push(t) },
    stderr: { write: (t: string) => err.push(t) },
    env: { NO_COLOR: '1' },
    cwd: process.cwd(),
  };
  const code = await main(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

async function configFile(): Promise<string> {
  const file = join(await tempDir(), 'healthchecks.yaml');
  await writeFile(file, yaml);
  return file;
}

describe('status and history against a deployed table', () => {
  it('status --table reads the latest results and exits by the worst', async () => {
    const run = await cli([
      'status',
      '--config',
      await configFile(),
      '--table',
      tableName,
      '--region',
      'ap-southeast-1',
      '--format',
      'json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as { checks: { check: string; status: string }[] };
    expect(report.checks.map((c) => [c.check, c.status])).toEqual([
      ['root-disk', 'critical'],
      ['data-disk', 'critical'],
    ]);
  });

  it('history --stack finds the table in the stack outputs', async () => {
    cloudformation.on(DescribeStacksCommand, { StackName: 'HealthChecker-prod' }).resolves({
      Stacks: [
        {
          StackName: 'HealthChecker-prod',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [{ OutputKey: 'ResultsTableName', OutputValue: tableName }],
        },
      ],
    });
    const run = await cli([
      'history',
      '--check',
      'root-disk',
      '--stack',
      'HealthChecker-prod',
      '--region',
      'ap-southeast-1',
      '--format',
      'json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const history = JSON.parse(run.stdout) as { runs: { scheduledTime: string; suite: string }[] };
    expect(history.runs).toEqual([
      expect.objectContaining({ scheduledTime: '2026-11-22T01:00:00.000Z', suite: 'morning' }),
    ]);
  });

  it('says in one line, exit 69, when the stack or table cannot be read', async () => {
    cloudformation.on(DescribeStacksCommand, { StackName: 'NoSuchStack' }).rejects(
      Object.assign(new Error('Stack with id NoSuchStack does not exist'), {
        name: 'ValidationError',
      }),
    );
    const missingStack = await cli([
      'history',
      '--check',
      'root-disk',
      '--stack',
      'NoSuchStack',
      '--region',
      'ap-southeast-1',
    ]);
    expect(missingStack.code).toBe(69);
    expect(missingStack.stderr).toBe(
      'healthcheck history: cannot read the outputs of stack NoSuchStack: ValidationError: Stack with id NoSuchStack does not exist\n',
    );
    const missingTable = await cli([
      'status',
      '--config',
      await configFile(),
      '--table',
      'no-such-table',
      '--region',
      'ap-southeast-1',
    ]);
    expect(missingTable.code).toBe(69);
    expect(missingTable.stderr).toMatch(
      /^healthcheck status: cannot read table no-such-table in ap-southeast-1: ResourceNotFoundException: .*\n$/,
    );
  });

  it('rejects mixing the local and deployed stores', async () => {
    const mixed = await cli(['history', '--check', 'root-disk', '--table', 't', '--stack', 's']);
    expect(mixed.code).toBe(64);
    expect(mixed.stderr).toMatch(/give --table or --stack, not both/);
    const regionAlone = await cli(['history', '--check', 'root-disk', '--region', 'eu-west-1']);
    expect(regionAlone.code).toBe(64);
    expect(regionAlone.stderr).toMatch(/--region goes with --table or --stack/);
  });
});
