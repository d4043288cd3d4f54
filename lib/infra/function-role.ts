import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * A function's own role: writes to its own log group only (instead of the managed basic
 * execution policy, which allows every log group). VPC functions also need the ENI policy.
 */
export function createFunctionRole(
  scope: Construct,
  id: string,
  logGroup: ILogGroup,
  inVpc: boolean,
): Role {
  const role = new Role(scope, id, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    ...(inVpc
      ? {
          managedPolicies: [
            ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'),
          ],
        }
      : {}),
  });
  logGroup.grantWrite(role);
  return role;
}
