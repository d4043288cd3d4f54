import {
  GatewayVpcEndpoint,
  GatewayVpcEndpointAwsService,
  type IGatewayVpcEndpointService,
  type IInterfaceVpcEndpointService,
  InterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  type ISecurityGroup,
  type IVpc,
  Port,
  SecurityGroup,
  type SubnetSelection,
} from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface VpcEndpointsProps {
  readonly vpc: IVpc;
  readonly subnets: SubnetSelection;
  /** The runner's security groups: the interface endpoints admit HTTPS from them only. */
  readonly clients: readonly ISecurityGroup[];
  /** A check reaches an EKS cluster (eks:DescribeCluster). */
  readonly eks: boolean;
}

/** What the runner calls from a private subnet without NAT, by endpoint. */
export const gatewayServices: Record<string, IGatewayVpcEndpointService> = {
  DynamoDb: GatewayVpcEndpointAwsService.DYNAMODB, // results and alert state
  S3: GatewayVpcEndpointAwsService.S3, // backup checks on AWS S3
};

export function interfaceServices(eks: boolean): Record<string, IInterfaceVpcEndpointService> {
  return {
    SecretsManager: InterfaceVpcEndpointAwsService.SECRETS_MANAGER, // ${secret:} references
    Sns: InterfaceVpcEndpointAwsService.SNS, // the alert topic
    EventBridge: InterfaceVpcEndpointAwsService.EVENTBRIDGE, // state-change events
    XRay: InterfaceVpcEndpointAwsService.XRAY, // traces
    ...(eks ? { Eks: InterfaceVpcEndpointAwsService.EKS } : {}), // DescribeCluster
  };
}

/**
 * VPC endpoints for a runner in private subnets without a NAT gateway: gateway endpoints (free)
 * for DynamoDB and S3 on the subnets' route tables, and interface endpoints with private DNS
 * (about $7 a month each per AZ) for the other AWS APIs the runner calls. The Kubernetes API of
 * a private EKS cluster is reached through the cluster's own ENIs, not an endpoint.
 */
export class VpcEndpoints extends Construct {
  readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: VpcEndpointsProps) {
    super(scope, id);
    for (const [name, service] of Object.entries(gatewayServices)) {
      new GatewayVpcEndpoint(this, name, { vpc: props.vpc, service, subnets: [props.subnets] });
    }
    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Health checker VPC interface endpoints: HTTPS from the runner only',
      allowAllOutbound: false,
    });
    for (const client of props.clients) {
      this.securityGroup.addIngressRule(
        client,
        Port.tcp(443),
        'HTTPS from the health check runner',
      );
    }
    for (const [name, service] of Object.entries(interfaceServices(props.eks))) {
      new InterfaceVpcEndpoint(this, name, {
        vpc: props.vpc,
        service,
        subnets: props.subnets,
        privateDnsEnabled: true,
        securityGroups: [this.securityGroup],
        open: false,
      });
    }
  }
}
