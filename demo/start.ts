/**
 * `npm start`: the first five minutes. Starts local targets (TLS, a Kubernetes API, a backup
 * folder, the local disk, PostgreSQL/Redis when reachable), runs the real CLI against them with the
 * embedded store, shows what would page and email, fixes one target (renews the certificate),
 * shows the resolve, writes the status page (kept in DEMO_OUTPUT_DIR, default ./healthcheck-demo/)
 * and cleans up everything else. Needs no AWS account and no cluster.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { colorEnabled } from '../lib/cli/colors.ts';
import { demoConfig } from './demo-config.ts';
import { type DemoTargets, startDemoTargets } from './targets.ts';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const timezone = 'Asia/Ho_Chi_Minh';
const routingKey = 'demoroutingkey000000000000000000';
const color = colorEnabled(process.stdout.isTTY, process.env);
/** The status page outlives the demo's temporary workspace, so it can be opened afterwards. */
const outputDir = resolvePath(process.env['DEMO_OUTPUT_DIR'] ?? 'healthcheck-demo');
const bold = (t: string) => (color ? `\u001b[1m${t}\u001b[22m` : t);
const dim = (t: string) => (color ? `\u001b[2m${t}\u001b[22m` : t);

function step(title: string): void {
  process.stdout.write(`\n${bold(`▸ ${title}`)}\n`);
}

function cli(args: readonly string[]): Promise<number> {
  const shown = args.map((a) => (/[\s'"$]/.test(a) ? `'${a.replaceAll("'", "'\\''")}'` : a));
  process.stdout.write(dim(`$ npx healthcheck ${shown.join(' ')}\n`));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/healthcheck.js'), ...args], {
      stdio: 'inherit',
      // The source, not dist/: always the code in this checkout, even before a rebuild.
      env: {
        ...process.env,
        HEALTHCHECK_FROM_SOURCE: '1',
        HEALTHCHECK_SECRET_DEMO_PAGERDUTY: routingKey,
      },
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 70));
  });
}

function showPages(targets: DemoTargets, from: number): number {
  const events = targets.pagerduty.accepted.slice(from);
  if (events.length === 0) process.stdout.write('PagerDuty received nothing new.\n');
  for (const e of events) {
    const payload = (e['payload'] ?? {}) as { severity?: string; summary?: string };
    const severity = payload.severity ? ` ${payload.severity}` : '';
    const summary = payload.summary ? `: ${payload.summary}` : '';
    process.stdout.write(
      `PagerDuty <- ${String(e['event_action'])}${severity} dedup_key=${String(e['dedup_key'])}${summary}\n`,
    );
  }
  return targets.pagerduty.accepted.length;
}

async function main(): Promise<number> {
  const workspace = await mkdtemp(join(tmpdir(), 'healthcheck-demo-'));
  let targets: DemoTargets | undefined;
  const cleanup = async () => {
    await targets?.close();
    await rm(workspace, { recursive: true, force: true });
  };
  process.once('SIGINT', () => {
    void cleanup().finally(() => process.exit(130));
  });
  try {
    step('Starting local targets');
    targets = await startDemoTargets(workspace, timezone);
    const db = {
      postgresUrl:
        process.env['DEMO_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      redisUrl: process.env['DEMO_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    };
    process.stdout.write(
      [
        `TLS endpoint      127.0.0.1:${targets.tlsPort} (certificate expires in 5 days)`,
        'Kubernetes API    namespace secureconnect-prod: chat-service crash-looping, media-service OOMKilled, a finished Job',
        `Backups           ${targets.backupDir} (yesterday's file only; today's is missing)`,
        'Local disk        /',
        `PostgreSQL/Redis  ${db.postgresUrl.replace(/\/\/[^@]*@/, '//')}, ${db.redisUrl} (unknown if not running)`,
        `PagerDuty         ${targets.pagerduty.url} (a local stand-in for the Events API v2)`,
        '',
      ].join('\n'),
    );
    const configFile = join(workspace, 'healthchecks.yaml');
    await writeFile(configFile, demoConfig(targets, db, timezone));
    const stateDir = join(workspace, 'state');
    const runArgs = ['run', '--config', configFile, '--suite', 'morning', '--state-dir', stateDir];

    step('Morning run: what broke overnight');
    const firstExit = await cli(runArgs);
    if (firstExit > 3) throw new Error(`the CLI exited ${firstExit}; see its message above`);
    process.stdout.write(`exit code ${firstExit} (0 ok, 1 warning, 2 critical, 3 unknown)\n`);
    let seen = showPages(targets, 0);

    step('Running again: nothing changed, so nobody is paged twice');
    await cli(runArgs);
    seen = showPages(targets, seen);

    step('Fixing a target: the ERP certificate is renewed');
    await targets.renewCertificate();
    process.stdout.write(
      `127.0.0.1:${targets.tlsPort} now presents a certificate valid for 90 days\n`,
    );
    await cli(runArgs);
    showPages(targets, seen);

    step('Current status and history are in the embedded store');
    await cli(['status', '--config', configFile, '--state-dir', stateDir]);
    await cli(['history', '--check', 'erp-cert', '--config', configFile, '--state-dir', stateDir]);

    step('Next steps');
    process.stdout.write(
      [
        '1. Copy examples/healthchecks.yaml to healthchecks.yaml and point hosts, kubeconfig,',
        '   backup locations and database URLs at your infrastructure (secrets as ${secret:ID}).',
        '2. npx healthcheck validate --config healthchecks.yaml',
        '3. npx healthcheck run --config healthchecks.yaml        (locally, embedded store)',
        '4. npx cdk deploy -c config=healthchecks.yaml            (EventBridge Scheduler + Lambda + DynamoDB + SNS/PagerDuty)',
        '   See README "Deploying to AWS".',
        '',
      ].join('\n'),
    );

    step('Status page');
    const page = join(outputDir, 'status.html');
    const reportExit = await cli([
      'report',
      '--config',
      configFile,
      '--state-dir',
      stateDir,
      '--html',
      page,
      '--title',
      'Demo: ERP and SecureConnect health',
    ]);
    if (reportExit !== 0) throw new Error(`healthcheck report exited ${reportExit}`);
    process.stdout.write(`Open it in a browser: ${pathToFileURL(page).href}\n`);
    return 0;
  } finally {
    await cleanup();
  }
}

process.exitCode = await main();
