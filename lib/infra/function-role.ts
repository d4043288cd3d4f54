import { Aws } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * What Lambda needs from a function's role to attach it to a VPC (its network interfaces), as
 * listed in AWS's AWSLambdaVPCAccessExecutionRole minus that policy's logs:* on every log group.
 * The Describe actions work only on Resource "*"; the others are kept to this account and region's
 * EC2 resources, the scope Lambda's documentation gives for DeleteNetworkInterface.
 */
export const vpcDescribeActions = ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'];
export const vpcInterfaceActions = [
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

export function vpcAccessStatements(): PolicyStatement[] {
  return [
    new PolicyStatement({ actions: vpcDescribeActions, resources: ['*'] }),
    new PolicyStatement({
      actions: vpcInterfaceActions,
      resources: [`arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:*/*`],
    }),
  ];
}

/**
 * A function's own role: writes to its own log group only (instead of the managed basic
 * execution policy, which allows every log group); in a VPC also the network-interface actions.
 */
export function createFunctionRole(
  scope: Construct,
  id: string,
  logGroup: ILogGroup,
  inVpc: boolean,
): Role {
  const role = new Role(scope, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  logGroup.grantWrite(role);
  if (inVpc) for (const statement of vpcAccessStatements()) role.addToPrincipalPolicy(statement);
  return role;
}
