/**
 * Suite throughput against the industry baseline: 200 loopback TLS endpoints, each behind a proxy
 * that delays every chunk 25 ms each way (a network between checker and target), checked by
 * `healthcheck run` and by `check_http -S -C 30,7` the way cron runs it: one process per
 * endpoint, sequentially and with `xargs -P 8`. The zero-delay case connects to the TLS servers
 * directly.
 */
import path from 'node:path';
import { type BenchContext, defaultContext } from './support/context.ts';
import { availableCheckTypes } from './support/healthcheck-cli.ts';
import { emptySection, renderSection, type SectionResult } from './support/report.ts';
import { makeSelfSignedCertificate } from './support/self-signed-cert.ts';
import { ratio } from './support/stats.ts';
import {
  contenderNames,
  phaseColumns,
  phaseRows,
  runThroughputCase,
  type ThroughputOutcome,
  throughputColumns,
  throughputProblems,
  throughputRows,
} from './support/throughput.ts';
import { startTlsFleet } from './support/tls-fleet.ts';

export const endpointCount = 200;
export const delayMs = 25;

export const extraCaVariant = 'healthcheck run, NODE_EXTRA_CA_CERTS';

function tlsConfig(ports: readonly number[], caPath?: string) {
  return {
    timezone: 'UTC',
    checks: ports.map((port, i) => ({
      id: `endpoint-${i}`,
      type: 'tls-certificate',
      host: '127.0.0.1',
      port,
      ...(caPath ? { ca: caPath } : {}),
      warningDays: 30,
      criticalDays: 7,
    })),
  };
}

function tlsCase(label: string, ports: readonly number[], caPath: string, runs: number) {
  return {
    label,
    targets: ports.length,
    // The private CA named in each check's `ca` field, as the config documents it...
    config: tlsConfig(ports, caPath),
    // ...and trusted process-wide instead, as Node allows for any private CA.
    variants: [
      {
        name: extraCaVariant,
        config: tlsConfig(ports),
        env: { NODE_EXTRA_CA_CERTS: caPath },
      },
    ],
    plugin: 'check_http',
    pluginArgs: ports.map((port) => ['-S', '-C', '30,7', '-H', '127.0.0.1', '-p', String(port)]),
    runs,
    timeoutMs: 300_000,
  };
}

function addTargets(result: SectionResult, outcome: ThroughputOutcome): void {
  const hc = outcome.byName(contenderNames.healthcheck)?.medianMs;
  const seq = outcome.byName(contenderNames.sequential)?.medianMs;
  const xargs = outcome.byName(contenderNames.xargs)?.medianMs;
  const seqRatio = ratio(seq, hc);
  const xargsRatio = ratio(xargs, hc);
  result.targets.push(
    {
      name: `${outcome.label}: vs sequential check_http`,
      target: '>= 10x faster',
      measured: seqRatio === null ? 'not measured' : `${seqRatio}x`,
      met: seqRatio === null ? null : seqRatio >= 10,
    },
    {
      name: `${outcome.label}: vs xargs -P 8 check_http`,
      target: '>= 2x faster',
      measured: xargsRatio === null ? 'not measured' : `${xargsRatio}x`,
      met: xargsRatio === null ? null : xargsRatio >= 2,
    },
  );
}

export async function runTlsThroughput(context: BenchContext): Promise<SectionResult> {
  const result = emptySection(
    'tls-throughput',
    `TLS certificates, ${endpointCount} endpoints: healthcheck vs check_http -S -C 30,7`,
  );
  if (!(await availableCheckTypes()).includes('tls-certificate')) {
    result.skipped.push('the tls-certificate check type is not registered in this build');
    return result;
  }
  const cert = makeSelfSignedCertificate(path.join(context.workDir, 'tls'));
  const fleet = await startTlsFleet(endpointCount, delayMs, cert);
  try {
    const rows = [];
    const phases = [];
    const cases = [
      { label: `${delayMs} ms each way`, ports: fleet.delayed },
      { label: 'zero delay', ports: fleet.direct },
    ];
    for (const c of cases) {
      const outcome = await runThroughputCase(
        tlsCase(c.label, c.ports, cert.certPath, context.runs),
        context.workDir,
      );
      rows.push(...throughputRows(outcome));
      phases.push(...phaseRows(outcome));
      result.skipped.push(...outcome.skipped);
      result.notes.push(...throughputProblems(outcome));
      result.data[outcome.label] = outcome.results;
      if (c.ports === fleet.delayed) addTargets(result, outcome);
    }
    result.tables.push(
      { title: 'Wall time', columns: throughputColumns, rows },
      { title: 'Where healthcheck run spends its time', columns: phaseColumns, rows: phases },
    );
    result.notes.push(
      `the proxy delays each chunk ${delayMs} ms in each direction; TCP connect to the proxy is not delayed, so one TLS 1.3 handshake costs about 2 x ${delayMs} ms`,
    );
  } finally {
    await fleet.stop();
  }
  return result;
}

if (import.meta.main) {
  process.stdout.write(renderSection(await runTlsThroughput(defaultContext())));
}
