/**
 * Names the stack (which creates the bucket and grants) and the runner (which publishes) share.
 * Free of CDK and SDK imports so the runner bundle can import it.
 */
export const statusPageObjects = {
  /** The page; CloudFront serves it as the default root object. */
  page: 'index.html',
  /** The JSON feed beside it (the page links to it relatively). */
  feed: 'status.json',
} as const;

export const statusPageEnvironment = {
  bucket: 'HEALTHCHECK_STATUS_BUCKET',
  title: 'HEALTHCHECK_STATUS_TITLE',
  /** Endpoint override for local runs against s3rver; never set by the stack. */
  s3Endpoint: 'HEALTHCHECK_S3_ENDPOINT',
} as const;

/** Browsers and CloudFront may cache the page this long; runs are minutes apart at best. */
export const statusPageCacheControl = 'max-age=60, must-revalidate';
