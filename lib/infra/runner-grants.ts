import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { CheckGrant } from '../checks/grants.ts';
import type { IamGrant } from '../checks/plugin.ts';
import { parseSecretReference } from '../secrets/secret-field.ts';

/**
 * The IAM statements the functions get, each exactly what the code calls. The DynamoDB action
 * lists are what the store adapter sends (test/infra/table-actions.test.ts records them against
 * dynalite, so a new call without a grant fails there, not in production).
 */
export const runnerTableActions = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
] as const;

export function tableStatement(tableArn: string, actions: readonly string[]): PolicyStatement {
  return new PolicyStatement({ actions: [...actions], resources: [tableArn] });
}

/**
 * Using the stack's key through DynamoDB (the results table) and SNS (the alert topic): decrypt
 * and new data keys, nothing else, and only when those services ask on the function's behalf.
 */
export function keyUseStatement(key: IKey, services: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [key.keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': services.map((s) => `${s}.${Aws.REGION}.amazonaws.com`) },
    },
  });
}

/** secretsmanager:GetSecretValue on the named secrets (a name matches any version suffix). */
export function secretReadStatement(
  scope: Construct,
  references: readonly string[],
): PolicyStatement {
  const stack = Stack.of(scope);
  // `ID#key` picks a key of a JSON secret; the IAM resource is the secret itself.
  const ids = [...new Set(references.map((reference) => parseSecretReference(reference).id))];
  return new PolicyStatement({
    actions: ['secretsmanager:GetSecretValue'],
    resources: ids.map((id) =>
      id.startsWith('arn:')
        ? id
        : stack.formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${id}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
    ),
  });
}

/** kms:Decrypt on customer-managed keys that encrypt referenced secrets, via Secrets Manager only. */
export function secretsKeyStatement(keyArns: readonly string[]): PolicyStatement {
  return new PolicyStatement({
    actions: ['kms:Decrypt'],
    resources: [...keyArns],
    conditions: {
      StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` },
    },
  });
}

type EksGrant = Extract<CheckGrant, { kind: 'eks' }>;

/** A plugin's plain IAM grant, on its resources in the deploying account. */
export function iamGrantStatement(scope: Construct, grant: IamGrant): PolicyStatement {
  const stack = Stack.of(scope);
  return new PolicyStatement({
    actions: [...grant.actions],
    resources: grant.resources.map((r) =>
      stack.formatArn({ service: r.service, region: r.region, resource: r.resource }),
    ),
  });
}
type S3Grant = Extract<CheckGrant, { kind: 's3-read' }>;

/** eks:DescribeCluster on exactly the clusters the checks name (for the endpoint and CA). */
export function eksDescribeStatement(
  scope: Construct,
  clusters: readonly Pick<EksGrant, 'clusterName' | 'region'>[],
): PolicyStatement {
  const stack = Stack.of(scope);
  return new PolicyStatement({
    actions: ['eks:DescribeCluster'],
    resources: [...new Set(clusters.map((c) => `${c.region}/${c.clusterName}`))].map((key) => {
      const [region = '', clusterName = ''] = key.split('/');
      return stack.formatArn({
        service: 'eks',
        resource: 'cluster',
        resourceName: clusterName,
        region,
      });
    }),
  });
}

/** The objects a grant reads: a prefix's pattern (`erp-backups/db/erp_prod_*`) or one key. */
export function s3ObjectPattern(grant: S3Grant): string {
  return `${grant.bucket}/${grant.prefix}${grant.object ? '' : '*'}`;
}

/**
 * Reads under the backup locations' fixed prefixes: s3:ListBucket limited by `s3:prefix`, and
 * s3:GetObject (which HeadObject needs) on the objects under them. Listing under the prefix also
 * lets S3 answer 404, not 403, for a missing backup there.
 */
export function s3ReadStatements(grants: readonly S3Grant[]): PolicyStatement[] {
  const buckets = [...new Set(grants.map((g) => g.bucket))];
  return [
    ...buckets.map((bucket) => {
      const inBucket = grants.filter((g) => g.bucket === bucket);
      const prefixes = inBucket.map((g) => g.prefix);
      return new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [`arn:${Aws.PARTITION}:s3:::${bucket}`],
        ...(prefixes.includes('')
          ? {}
          : {
              conditions: {
                StringLike: {
                  's3:prefix': [
                    ...new Set(inBucket.map((g) => (g.object ? g.prefix : `${g.prefix}*`))),
                  ],
                },
              },
            }),
      });
    }),
    new PolicyStatement({
      actions: ['s3:GetObject'],
      resources: grants.map((g) => `arn:${Aws.PARTITION}:s3:::${s3ObjectPattern(g)}`),
    }),
  ];
}
