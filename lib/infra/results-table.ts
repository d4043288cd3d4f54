import type { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { tableLayout } from '../store/table-layout.ts';

/** Results and alert state: on demand, TTL on run history, point-in-time recovery, encrypted. */
export function createResultsTable(
  scope: Construct,
  key: IKey,
  removalPolicy: RemovalPolicy,
): Table {
  return new Table(scope, 'ResultsTable', {
    partitionKey: { name: tableLayout.partitionKey, type: AttributeType.STRING },
    sortKey: { name: tableLayout.sortKey, type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    timeToLiveAttribute: tableLayout.ttlAttribute,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    removalPolicy,
  });
}
