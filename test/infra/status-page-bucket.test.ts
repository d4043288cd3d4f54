import { Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { diskOnlyConfig, synthChecker } from './synth-helpers.ts';

type Statement = {
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

function bucketPolicy(template: Template): Statement[] {
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
  expect(policies).toHaveLength(1);
  return (policies[0] as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
    .PolicyDocument.Statement;
}

function actions(s: Statement): string[] {
  return Array.isArray(s.Action) ? s.Action : [s.Action];
}

// The first synth of a file loads aws-cdk-lib, which takes a while on a loaded machine.
describe('status page bucket', { timeout: 120_000 }, () => {
  it('is private, encrypted, owner-enforced and TLS-only by default', () => {
    const { template } = synthChecker(diskOnlyConfig);
    template.resourceCountIs('AWS::S3::Bucket', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);

    const statements = bucketPolicy(template);
    // Plain HTTP and TLS below 1.2 are refused for everyone.
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        }),
      ]),
    );
    // Nothing is allowed to anonymous principals.
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });

  it('lets the runner read and write exactly the page and the feed, and tells it the bucket', () => {
    const { template, checker, stack } = synthChecker(diskOnlyConfig);
    const bucketId = stack.getLogicalId(
      checker.statusPage?.bucket.node.defaultChild as import('aws-cdk-lib').CfnElement,
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ HEALTHCHECK_STATUS_BUCKET: { Ref: bucketId } }),
      },
    });
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^CheckerRunnerRole') }] },
    });
    const statements = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
          .PolicyDocument.Statement,
    );
    const onBucket = statements.filter((s) => JSON.stringify(s.Resource).includes(bucketId));
    expect(onBucket.map((s) => [actions(s).sort(), s.Resource])).toEqual([
      [['s3:ListBucket'], { 'Fn::GetAtt': [bucketId, 'Arn'] }],
      [
        ['s3:GetObject', 's3:PutObject'],
        [
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/index.html']] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/status.json']] },
        ],
      ],
    ]);
  });

  it('behind CloudFront: only the distribution may read, through origin access control, over HTTPS', () => {
    const { template, checker, stack } = synthChecker(diskOnlyConfig, {
      statusPage: {
        cloudFront: true,
        webAclId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/office/abc',
      },
    });
    const distribution = checker.statusPage?.distribution;
    expect(distribution).toBeDefined();
    const distributionId = stack.getLogicalId(
      distribution?.node.defaultChild as import('aws-cdk-lib').CfnElement,
    );
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        WebACLId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/office/abc',
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          AllowedMethods: ['GET', 'HEAD'],
        }),
        Origins: [
          Match.objectLike({
            OriginAccessControlId: Match.anyValue(),
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
      }),
    });
    const allows = bucketPolicy(template).filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
    });
    // Only this distribution: the source ARN condition names it.
    expect(Object.keys(allows[0]?.Condition?.['StringEquals'] ?? {})).toEqual(['AWS:SourceArn']);
    expect(JSON.stringify(allows[0]?.Condition)).toContain(
      `":distribution/",{"Ref":"${distributionId}"}`,
    );
    // Still no public access and still TLS-only.
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: Match.objectLike({ RestrictPublicBuckets: true }),
    });
    expect(bucketPolicy(template).some((s) => s.Effect === 'Deny')).toBe(true);
  });

  it('can be turned off', () => {
    const { template } = synthChecker(diskOnlyConfig, { statusPage: { enabled: false } });
    template.resourceCountIs('AWS::S3::Bucket', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.not(Match.objectLike({ HEALTHCHECK_STATUS_BUCKET: Match.anyValue() })),
      },
    });
  });
});
