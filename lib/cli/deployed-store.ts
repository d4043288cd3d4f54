import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ResultStore } from '../alerting/result-store.ts';
import { errorMessage } from '../core/errors.ts';
import { stackOutputs } from '../infra/stack-outputs.ts';
import { DynamoResultStore } from '../store/dynamodb-store.ts';

/**
 * The results table of a deployed checker, read with the caller's AWS credentials: `--table NAME`
 * or `--stack NAME` (its `ResultsTableName` output), in `--region` or the AWS SDK's default
 * (AWS_REGION, the profile). What cannot be reached is one line naming the table or stack and the
 * AWS error, never a stack trace.
 */
export class DeployedStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployedStoreError';
  }
}

export interface DeployedStoreOptions {
  readonly table?: string;
  readonly stack?: string;
  readonly region?: string;
}

function awsReason(error: unknown): string {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name && e.name !== 'Error' ? `${e.name}: ` : '';
  return `${name}${errorMessage(error)}`;
}

/** The stack's `ResultsTableName` output. */
export async function tableOfStack(client: CloudFormationClient, stack: string): Promise<string> {
  let outputs: { OutputKey?: string; OutputValue?: string }[];
  try {
    const answer = await client.send(new DescribeStacksCommand({ StackName: stack }));
    outputs = answer.Stacks?.[0]?.Outputs ?? [];
  } catch (error) {
    throw new DeployedStoreError(`cannot read the outputs of stack ${stack}: ${awsReason(error)}`);
  }
  const table = outputs.find((o) => o.OutputKey === stackOutputs.resultsTable)?.OutputValue;
  if (!table) {
    throw new DeployedStoreError(
      `stack ${stack} has no ${stackOutputs.resultsTable} output: is it a healthcheck stack (bin/app.ts)?`,
    );
  }
  return table;
}

/** Delegates to the adapter, turning AWS failures into one readable line. */
function explained(store: ResultStore, where: string): ResultStore {
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw new DeployedStoreError(`cannot read ${where}: ${awsReason(error)}`);
    }
  };
  return {
    getStates: (ids, signal) => guard(() => store.getStates(ids, signal)),
    putState: (next, version, signal) => guard(() => store.putState(next, version, signal)),
    appendRuns: (records, expiresAt, signal) =>
      guard(() => store.appendRuns(records, expiresAt, signal)),
    history: (check, range, signal) => guard(() => store.history(check, range, signal)),
    getIncidentGroups: (suite, signal, options) =>
      guard(() => store.getIncidentGroups(suite, signal, options)),
    putIncidentGroup: (next, version, signal) =>
      guard(() => store.putIncidentGroup(next, version, signal)),
  };
}

export async function openDeployedStore(
  options: DeployedStoreOptions,
): Promise<{ store: ResultStore; where: string; close(): Promise<void> }> {
  const region = options.region ? { region: options.region } : {};
  let table = options.table;
  if (!table && options.stack) {
    const cloudformation = new CloudFormationClient(region);
    try {
      table = await tableOfStack(cloudformation, options.stack);
    } finally {
      cloudformation.destroy();
    }
  }
  if (!table) throw new DeployedStoreError('give --table NAME or --stack NAME');
  const client = new DynamoDBClient(region);
  const where = `table ${table}${options.region ? ` in ${options.region}` : ''}`;
  return {
    store: explained(new DynamoResultStore({ client, tableName: table }), where),
    where,
    close: async () => client.destroy(),
  };
}
