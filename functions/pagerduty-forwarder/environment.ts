/** Environment variables the forwarder reads; the CDK stack sets them. */
export const forwarderEnvironment = {
  /** Secrets Manager name or ARN holding the Events API v2 routing key (optionally `ID#field`). */
  routingKeySecret: 'PAGERDUTY_SECRET_ID',
  /** Events API endpoint override (EU: https://events.eu.pagerduty.com/v2/enqueue). */
  url: 'PAGERDUTY_URL',
  /** The deployment's stage: prefixes dedup keys (`<stage>/<check>`) so stages never mix. */
  stage: 'HEALTHCHECK_STAGE',
} as const;
