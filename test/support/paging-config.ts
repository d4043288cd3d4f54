/**
 * Configs for CLI tests that watch what pages: checks as YAML list items, and PagerDuty at a
 * fake server, its routing key from $PD_KEY (pass `pagingEnv`).
 */
export const pagingEnv = { PD_KEY: 'PAGINGTESTKEY0123456789ABCDEFGHI' };

/** A disk check that is always critical (0/0 thresholds) and pages at P1. */
export function criticalDisk(id: string): string {
  return `  - id: ${id}
    type: disk
    paths: [/]
    warningPercent: 0
    criticalPercent: 0
    severity: P1`;
}

/** A TLS check of a loopback endpoint whose self-signed certificate is `caFile`. */
export function loopbackCert(id: string, port: number, caFile: string, timeoutSeconds: number) {
  return `  - id: ${id}
    type: tls-certificate
    host: 127.0.0.1
    port: ${port}
    servername: localhost
    ca: ${caFile}
    timeoutSeconds: ${timeoutSeconds}`;
}

/**
 * Grouping is off: these tests watch each check's own page (grouping has its own tests,
 * test/cli/grouping-e2e.test.ts).
 */
export function pagingConfig(checks: readonly string[], pagerDutyUrl: string): string {
  return `timezone: UTC
defaults:
  grouping: false
checks:
${checks.join('\n')}
notifications:
  pagerduty:
    routingKey: \${env:PD_KEY}
    url: ${pagerDutyUrl}
`;
}
