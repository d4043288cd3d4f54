import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AllowedMethods,
  Distribution,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { statusPageObjects } from '../report/status-page-names.ts';
import { acknowledge, type NagAcknowledgement } from './nag-acknowledgements.ts';

export interface StatusPageBucketProps {
  /**
   * Serve the page through a CloudFront distribution that reads the private bucket with origin
   * access control (the bucket itself stays private either way).
   * @default false
   */
  readonly cloudFront?: boolean;
  /**
   * A WAF web ACL (ARN of a CLOUDFRONT-scope web ACL) for the distribution, e.g. an IP allow list
   * for the office and the VPN. Without one, anyone with the distribution's URL can read the page.
   * @default - none
   */
  readonly webAclId?: string;
  /**
   * What happens to the bucket when the stack is deleted. With RETAIN (the default), delete the
   * two objects by hand first if you want the bucket gone.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Acknowledge the cdk-nag findings this design accepts (access logs; CloudFront without a
   * custom domain, geo restriction or WAF when none is given).
   * @default true
   */
  readonly acknowledgeNagFindings?: boolean;
}

const accessLogsNotKept: NagAcknowledgement = {
  id: 'AwsSolutions-S1',
  reason:
    'The bucket holds two generated objects (the status page and its JSON feed) rewritten after ' +
    'every run; CloudTrail records the API calls, and a second bucket for access logs would cost ' +
    'more than the page it logs.',
};

const cloudFrontAcknowledgements: readonly NagAcknowledgement[] = [
  {
    id: 'AwsSolutions-CFR1',
    reason:
      'On-call reads the page from wherever they are (travel, roaming); restrict viewers with ' +
      'the webAclId prop (a WAF IP allow list) instead of by country.',
  },
  {
    id: 'AwsSolutions-CFR3',
    reason:
      'The distribution serves one small page to a handful of engineers; standard logs would ' +
      'need a bucket with ACLs enabled, which the rest of the stack avoids.',
  },
  {
    id: 'AwsSolutions-CFR4',
    reason:
      'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose ' +
      'minimum viewer protocol cannot be set; viewers are redirected to HTTPS.',
  },
];

const noWebAcl: NagAcknowledgement = {
  id: 'AwsSolutions-CFR2',
  reason:
    'No WAF web ACL was given (webAclId prop); the page holds check summaries, no secrets, and ' +
    'the distribution only serves GET/HEAD of two objects.',
};

/**
 * Where the runner publishes the status page and its JSON feed after every run: a private,
 * encrypted, TLS-only bucket, optionally behind CloudFront with origin access control.
 */
export class StatusPageBucket extends Construct {
  readonly bucket: Bucket;
  readonly distribution?: Distribution;

  constructor(scope: Construct, id: string, props: StatusPageBucketProps = {}) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // S3-managed keys: CloudFront's origin access control reads them without a KMS key policy
      // for the distribution, and page views cost no KMS requests.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    if (props.cloudFront) {
      this.distribution = new Distribution(this, 'Distribution', {
        comment: 'healthcheck status page',
        defaultRootObject: statusPageObjects.page,
        defaultBehavior: {
          origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          // HSTS, nosniff, frame-deny and a strict referrer policy on every response.
          responseHeadersPolicy: ResponseHeadersPolicy.SECURITY_HEADERS,
        },
        httpVersion: HttpVersion.HTTP2_AND_3,
        priceClass: PriceClass.PRICE_CLASS_100,
        ...(props.webAclId ? { webAclId: props.webAclId } : {}),
      });
    }
    if (props.acknowledgeNagFindings ?? true) {
      acknowledge(this.bucket, accessLogsNotKept);
      if (this.distribution) {
        acknowledge(
          this.distribution,
          ...cloudFrontAcknowledgements,
          ...(props.webAclId ? [] : [noWebAcl]),
        );
      }
    }
  }

  /** Read and write exactly the page and the feed, nothing else in the bucket. */
  grantPublish(grantee: IGrantable): void {
    // Listing lets a first run's read of the not-yet-written feed answer 404, not 403.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [
          this.bucket.arnForObjects(statusPageObjects.page),
          this.bucket.arnForObjects(statusPageObjects.feed),
        ],
      }),
    );
  }
}
