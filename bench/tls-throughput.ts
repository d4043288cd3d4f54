/**
 * Suite throughput against the industry baseline: 200 loopback TLS endpoints, each behind a proxy
 * that delays every chunk 25 ms each way (a network between checker and target), checked by
 * `healthcheck run` installed as README tells cron users (`npm install -g` of the packed
 * tarball, Node 24 on PATH, called as `healthcheck`) and by `check_http -S -C 30,7` the way cron
 * runs it: one process per endpoint, sequentially and with `xargs -P 8`. Also: the same run on
 * a fresh state dir and on one holding 30 days of history, and the physical bound (bare Node
 * start-up plus one handshake round trip with every endpoint in flight). The zero-delay case
 * connects to the TLS servers directly.
 */
import path from 'node:path';
import { type BenchContext, defaultContext } from './support/context.ts';
import { availableCheckTypes, type InstalledCli } from './support/healthcheck-cli.ts';
import { physicalBound } from './support/physical-bound.ts';
import { emptySection, renderSection, type SectionResult } from './support/report.ts';
import { historyDays, seedHistory, slotMinutes } from './support/seed-history.ts';
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

export const freshVariant = 'healthcheck run, fresh state dir';
export const historyVariant = `healthcheck run, ${historyDays} days of history`;

function tlsConfig(ports: readonly number[], caPath: string) {
  return {
    timezone: 'UTC',
    checks: ports.map((port, i) => ({
      id: `endpoint-${i}`,
      type: 'tls-certificate',
      host: '127.0.0.1',
      port,
      // The private CA named in each check's `ca` field, as the config documents it.
      ca: caPath,
      warningDays: 30,
      criticalDays: 7,
    })),
  };
}

function tlsCase(
  label: string,
  ports: readonly number[],
  caPath: string,
  runs: number,
  withStateVariants: boolean,
) {
  return {
    label,
    targets: ports.length,
    config: tlsConfig(ports, caPath),
    variants: withStateVariants
      ? [
          { name: freshVariant, fresh: true },
          {
            name: historyVariant,
            seed: async (stateDir: string, configPath: string, cli: InstalledCli) => {
              await seedHistory(cli, configPath, stateDir);
            },
          },
        ]
      : [],
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
  const fresh = outcome.byName(freshVariant)?.medianMs;
  const month = outcome.byName(historyVariant)?.medianMs;
  const seqRatio = ratio(seq, hc);
  const xargsRatio = ratio(xargs, hc);
  const spread =
    fresh && month
      ? Math.round((Math.abs(month - fresh) / Math.min(fresh, month)) * 1000) / 10
      : null;
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
    {
      name: `${outcome.label}: fresh state dir vs ${historyDays} days of history`,
      target: 'within 10%',
      measured: spread === null ? 'not measured' : `${fresh} vs ${month} ms (${spread}%)`,
      met: spread === null ? null : spread <= 10,
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
  const cli = await context.cli();
  result.notes.push(`healthcheck installed by ${cli.how}; run as \`healthcheck run\``);
  const cert = makeSelfSignedCertificate(path.join(context.workDir, 'tls'));
  const fleet = await startTlsFleet(endpointCount, delayMs, cert);
  try {
    const rows = [];
    const phases = [];
    const cases = [
      { label: `${delayMs} ms each way`, ports: fleet.delayed, variants: true },
      { label: 'zero delay', ports: fleet.direct, variants: false },
    ];
    for (const c of cases) {
      const outcome = await runThroughputCase(
        tlsCase(c.label, c.ports, cert.certPath, context.runs, c.variants),
        context,
      );
      rows.push(...throughputRows(outcome));
      phases.push(...phaseRows(outcome));
      result.skipped.push(...outcome.skipped);
      result.notes.push(...throughputProblems(outcome));
      result.data[outcome.label] = outcome.results;
      if (c.ports !== fleet.delayed) continue;
      addTargets(result, outcome);
      const bound = await physicalBound(c.ports, context.runs);
      const hc = outcome.byName(contenderNames.healthcheck)?.medianMs;
      const distance = ratio(hc, bound.boundMs);
      result.data['physicalBound'] = bound;
      result.tables.push({
        title: `Physical bound, ${c.label}: bare Node start-up + one handshake round trip with all ${c.ports.length} in flight`,
        columns: ['node -e 0 ms', 'handshakes ms', 'bound ms', 'healthcheck run ms', 'x bound'],
        rows: [[bound.nodeStartMs, bound.handshakesMs, bound.boundMs, hc ?? null, distance]],
      });
      result.targets.push({
        name: `${c.label}: distance from the physical bound`,
        target: 'within 3x',
        measured: distance === null ? 'not measured' : `${distance}x (${bound.boundMs} ms bound)`,
        met: distance === null ? null : distance <= 3,
      });
    }
    result.tables.push(
      { title: 'Wall time', columns: throughputColumns, rows },
      {
        title: 'Where healthcheck run spends its time (medians)',
        columns: phaseColumns,
        rows: phases,
      },
    );
    result.notes.push(
      `the proxy delays each chunk ${delayMs} ms in each direction; TCP connect to the proxy is not delayed, so one TLS 1.3 handshake costs about 2 x ${delayMs} ms`,
      `"${historyVariant}": the state dir holds one run of history per ${slotMinutes} minutes for ${historyDays} days (${((historyDays * 24 * 60) / slotMinutes) * endpointCount} records) before the first measured run; "${freshVariant}": emptied before every run`,
    );
  } finally {
    await fleet.stop();
  }
  return result;
}

if (import.meta.main) {
  const context = defaultContext();
  process.stdout.write(renderSection(await runTlsThroughput(context)));
}
