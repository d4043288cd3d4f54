import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export interface LambdaTask {
  readonly config: string;
  readonly tableName: string;
  readonly dynamoEndpoint: string;
  /** The stack's other variables for this function (topic, bus, stage, ...). */
  readonly environment?: Record<string, string>;
}

// Registered when the file is imported: an afterAll called from inside a beforeAll (where this
// helper is used) never runs, which left one task root in /tmp per test file.
const taskRoots: string[] = [];
afterAll(() =>
  Promise.all(taskRoots.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))),
);

/**
 * Sets up `process.env` as the stack sets it for a function and Lambda provides it: the config in
 * a task root (removed after the file's tests), the table on dynalite, fake credentials.
 */
export async function lambdaTaskEnvironment(task: LambdaTask): Promise<void> {
  const taskRoot = await mkdtemp(join(tmpdir(), 'healthcheck-task-'));
  taskRoots.push(taskRoot);
  await writeFile(join(taskRoot, 'healthchecks.yaml'), task.config);
  Object.assign(process.env, {
    AWS_REGION: 'ap-southeast-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    LAMBDA_TASK_ROOT: taskRoot,
    HEALTHCHECK_CONFIG_FILE: 'healthchecks.yaml',
    HEALTHCHECK_TABLE: task.tableName,
    HEALTHCHECK_DYNAMODB_ENDPOINT: task.dynamoEndpoint,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    ...task.environment,
  });
}
