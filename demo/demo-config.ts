import type { DemoTargets } from './targets.ts';

export interface DatabaseTargets {
  readonly postgresUrl: string;
  readonly redisUrl: string;
}

/** The demo's config: the runbooks' morning checklist, pointed at the local targets. */
export function demoConfig(t: DemoTargets, db: DatabaseTargets, timezone: string): string {
  return `# yaml-language-server: $schema=../healthchecks.schema.json
# Written by "npm start". Point these entries at your own hosts to check real infrastructure.
timezone: ${timezone}
defaults:
  # Loopback targets answer in milliseconds; the margin is for a busy laptop or CI runner.
  timeoutSeconds: 30
suites:
  - id: morning
    schedule: "cron(0 8 * * ? *)"
    checks: [erp-cert, secureconnect-pods, nightly-backup, root-disk, erp-db-pool, erp-redis]
checks:
  - id: erp-cert
    name: ERP certificate expiry
    type: tls-certificate
    host: 127.0.0.1
    servername: localhost
    port: ${t.tlsPort}
    ca: ${t.caFile}
    severity: P2
    runbook: "Renew the certificate; check with: openssl x509 -noout -dates"
  - id: secureconnect-pods
    name: SecureConnect pods Running, no CrashLoopBackOff/OOMKilled
    type: kubernetes-pods
    kubeconfig: ${t.kubeconfig}
    namespace: secureconnect-prod
    maxRestarts: 5
    severity: P1
    runbook: "kubectl get pods -n secureconnect-prod | grep -E '(ImagePullBackOff|CrashLoopBackOff|Error)'"
  - id: nightly-backup
    name: Sao lưu đêm qua (erp_prod_YYYYMMDD.sql.gz)
    type: backup
    location: file://${t.backupDir}/erp_prod_{yyyyMMdd}.sql.gz
    maxAgeHours: 26
    severity: P2
    runbook: "Check the backup job; re-run ./scripts/backup.sh"
  - id: root-disk
    name: Disk usage < 80%
    type: disk
    source: local
    paths: [/]
    severity: P3
    runbook: "Run ./scripts/cleanup-backups.sh"
  - id: erp-db-pool
    name: DB connections < 90% of max_connections
    type: connection-pool
    engine: postgres
    url: ${db.postgresUrl}
    timeoutSeconds: 15
    severity: P2
  - id: erp-redis
    name: Redis PING
    type: connection-pool
    engine: redis
    url: ${db.redisUrl}
    timeoutSeconds: 15
    severity: P3
notifications:
  email: [oncall@company.vn]
  pagerduty:
    routingKey: \${secret:demo/pagerduty}
    severities: [P1, P2]
    url: ${t.pagerduty.url}
`;
}
