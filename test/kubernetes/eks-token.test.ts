import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeEksToken,
  eksToken,
  presignedCallerIdentityUrl,
} from '../../lib/kubernetes/eks-token.ts';

const request = {
  clusterName: 'secureconnect-prod',
  region: 'ap-southeast-1',
  credentials: {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  },
  now: new Date('2026-11-22T01:00:00Z'),
};

const hmac = (key: Buffer | string, data: string) =>
  createHmac('sha256', key).update(data).digest();
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** SigV4 for a presigned GET, written out from the AWS documentation independently of smithy. */
function expectedSignature(url: URL, clusterName: string, secret: string): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== 'X-Amz-Signature');
  const canonicalQuery = params
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .sort()
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    `host:${url.hostname}\nx-k8s-aws-id:${clusterName}\n`,
    'host;x-k8s-aws-id',
    sha256(''),
  ].join('\n');
  const amzDate = url.searchParams.get('X-Amz-Date') ?? '';
  const scope = `${amzDate.slice(0, 8)}/ap-southeast-1/sts/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${secret}`, amzDate.slice(0, 8));
  for (const part of ['ap-southeast-1', 'sts', 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('EKS IAM token', () => {
  it('is k8s-aws-v1. + base64url of the presigned URL, without padding', async () => {
    const token = await eksToken(request);
    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    expect(token.slice('k8s-aws-v1.'.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    const url = decodeEksToken(token);
    expect(url.toString()).toBe((await presignedCallerIdentityUrl(request)).toString());
  });

  it('presigns STS GetCallerIdentity for 60 s with the signed x-k8s-aws-id header', async () => {
    const url = await presignedCallerIdentityUrl(request);
    expect(url.origin).toBe('https://sts.ap-southeast-1.amazonaws.com');
    const q = url.searchParams;
    expect(q.get('Action')).toBe('GetCallerIdentity');
    expect(q.get('Version')).toBe('2011-06-15');
    expect(q.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(q.get('X-Amz-Credential')).toBe('AKIDEXAMPLE/20261122/ap-southeast-1/sts/aws4_request');
    expect(q.get('X-Amz-Date')).toBe('20261122T010000Z');
    expect(q.get('X-Amz-Expires')).toBe('60');
    expect(q.get('X-Amz-SignedHeaders')?.split(';')).toContain('x-k8s-aws-id');
    expect(q.get('X-Amz-Signature')).toBe(
      expectedSignature(url, 'secureconnect-prod', request.credentials.secretAccessKey),
    );
  });

  it('is stable for fixed credentials and clock, and bound to the cluster name and time', async () => {
    const a = await eksToken(request);
    expect(await eksToken(request)).toBe(a);
    expect(await eksToken({ ...request, clusterName: 'other' })).not.toBe(a);
    expect(await eksToken({ ...request, now: new Date('2026-11-22T01:00:01Z') })).not.toBe(a);
  });

  it('carries a session token for temporary credentials', async () => {
    const url = await presignedCallerIdentityUrl({
      ...request,
      credentials: { ...request.credentials, sessionToken: 'FwoGZXIvYXdzEXAMPLE+/=' },
    });
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('FwoGZXIvYXdzEXAMPLE+/=');
  });
});
