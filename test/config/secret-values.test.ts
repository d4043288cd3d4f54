import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../lib/config/load-config.ts';
import { EnvSecretResolver } from '../../lib/config/references.ts';
import { resolveCheckConfig } from '../../lib/config/resolve-check.ts';
import { ConfigError } from '../../lib/core/errors.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const wholeSecrets = `
suites: [{id: morning, schedule: "cron(0 8 * * ? *)", checks: [erp-db, erp-cert, minio]}]
checks:
  - id: erp-db
    type: connection-pool
    engine: postgres
    url: "\${secret:erp/db-url}"
    maxConnections: { critical: 50 }
  - id: erp-cert
    type: tls-certificate
    host: erp.example.vn
    port: "\${secret:erp/tls#port}"
  - id: minio
    type: backup
    location: s3://lakehouse/db_{yyyyMMdd}.gz
    endpoint: "\${secret:minio/reader#endpoint}"
    accessKeyId: "\${secret:minio/reader#accessKeyId}"
    secretAccessKey: "\${secret:minio/reader#secretAccessKey}"
`;

function problemsOf(text: string): string[] {
  try {
    parseConfigText(text, { env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected the config to be rejected');
}

describe('whole-value secrets at load time', () => {
  it('accepts a secret wherever a value of the field goes, keeping the reference', () => {
    const config = parseConfigText(wholeSecrets, { env: {} });
    const [db, cert, minio] = config.checks;
    expect(db).toMatchObject({ url: '${secret:erp/db-url}', warningPercent: 70 });
    expect(cert).toMatchObject({ port: '${secret:erp/tls#port}', warningDays: 30 });
    expect(minio).toMatchObject({ endpoint: '${secret:minio/reader#endpoint}', minBytes: 1 });
  });

  it('still validates every other field of the check, and its cross-field rules', () => {
    const problems = problemsOf(
      wholeSecrets
        .replace('maxConnections: { critical: 50 }', 'warningPercent: 95\n    colour: red')
        .replace('host: erp.example.vn', 'host: erp.example.vn\n    criticalDays: 40'),
    );
    expect(problems).toEqual([
      'checks[0].colour: unknown key (line 9)',
      'checks[1].criticalDays: must not exceed warningDays (30) (line 13)',
    ]);
    expect(
      problemsOf(
        wholeSecrets.replace('warningPercent', 'x').replace('{ critical: 50 }', '{ critical: 0 }'),
      ),
    ).toEqual(['checks[0].maxConnections.critical: Too small: expected number to be >=1 (line 8)']);
  });

  it('keeps fields every check has out of it: a secret severity is still a bad severity', () => {
    expect(
      problemsOf(wholeSecrets.replace('    port:', '    severity: "${secret:x}"\n    port:')),
    ).toEqual(['checks[1].severity: expected one of "P1", "P2", "P3", "P4" (line 12)']);
  });

  it('does not defer a reference that is only part of a value', () => {
    expect(
      problemsOf(wholeSecrets.replace('"${secret:erp/db-url}"', 'mysql://${secret:erp/db-url}')),
    ).toEqual([
      'checks[0].url: must start with postgres:// or postgresql:// for engine postgres (line 7)',
    ]);
  });
});

describe('whole-value secrets at run time', () => {
  const config = parseConfigText(wholeSecrets, { env: {} });
  const [db, cert, minio] = config.checks;
  const resolver = (env: Record<string, string>) => new EnvSecretResolver(env);

  it('validates the resolved value against the plugin schema, naming the secret, never the value', async () => {
    const error = await resolveCheckConfig(
      db as NonNullable<typeof db>,
      resolver({ HEALTHCHECK_SECRET_ERP_DB_URL: 'mysql://monitor:hunter22@db:3306/erp' }),
    ).catch((e: unknown) => e);
    expect((error as Error).name).toBe('SecretFieldValueError');
    expect((error as Error).message).toBe(
      'invalid value after resolving secrets: url (from secret erp/db-url): must start with postgres:// or postgresql:// for engine postgres',
    );
    const ok = await resolveCheckConfig(
      db as NonNullable<typeof db>,
      resolver({ HEALTHCHECK_SECRET_ERP_DB_URL: 'postgres://monitor:hunter22@db:5432/erp' }),
    );
    expect(ok.value).toMatchObject({ url: 'postgres://monitor:hunter22@db:5432/erp' });
    expect(ok.secrets).toEqual(['postgres://monitor:hunter22@db:5432/erp']);
  });

  it('reads a key of a JSON secret and turns text into the number the field needs', async () => {
    const env = { HEALTHCHECK_SECRET_ERP_TLS: '{"port": 8443}' };
    const { value } = await resolveCheckConfig(cert as NonNullable<typeof cert>, resolver(env));
    expect(value).toMatchObject({ port: 8443 });
    const bad = await resolveCheckConfig(
      cert as NonNullable<typeof cert>,
      resolver({ HEALTHCHECK_SECRET_ERP_TLS: '{"port": "https"}' }),
    ).catch((e: unknown) => e);
    expect((bad as Error).message).toMatch(
      /^invalid value after resolving secrets: port \(from secret erp\/tls#port\): expected number/,
    );
    const missing = await resolveCheckConfig(
      cert as NonNullable<typeof cert>,
      resolver({ HEALTHCHECK_SECRET_ERP_TLS: '{"host": "x"}' }),
    ).catch((e: unknown) => e);
    expect((missing as Error).message).toBe(
      'secret "erp/tls#port" could not be resolved: the secret has no key "port" (it has: host)',
    );
    const notJson = await resolveCheckConfig(
      cert as NonNullable<typeof cert>,
      resolver({ HEALTHCHECK_SECRET_ERP_TLS: '8443' }),
    ).catch((e: unknown) => e);
    expect((notJson as Error).message).toMatch(/the secret is not a JSON object/);
  });

  it('resolves several keys of one JSON secret, as an RDS-managed secret is used', async () => {
    const env = {
      HEALTHCHECK_SECRET_MINIO_READER: JSON.stringify({
        endpoint: 'http://127.0.0.1:9000',
        accessKeyId: 'reader',
        secretAccessKey: 'reader-secret-key',
      }),
    };
    const { value } = await resolveCheckConfig(minio as NonNullable<typeof minio>, resolver(env));
    expect(value).toMatchObject({
      endpoint: 'http://127.0.0.1:9000',
      accessKeyId: 'reader',
      secretAccessKey: 'reader-secret-key',
    });
    const unset = await resolveCheckConfig(minio as NonNullable<typeof minio>, resolver({})).catch(
      (e: unknown) => e,
    );
    expect((unset as Error).message).toMatch(
      /set HEALTHCHECK_SECRET_MINIO_READER to the secret's JSON for local runs/,
    );
  });
});

describe('whole-value secrets through the CLI', () => {
  const tempDir = useTempDirs();

  async function writeConfig(): Promise<string> {
    const dir = await tempDir();
    const file = join(dir, 'healthchecks.yaml');
    await writeFile(
      file,
      `
suites: [{id: morning, schedule: "cron(0 8 * * ? *)", checks: [erp-db, rds-db, bad-db, root-disk]}]
checks:
  - id: erp-db
    type: connection-pool
    engine: postgres
    url: "\${secret:erp/db-url}"
  - id: rds-db
    type: connection-pool
    engine: postgres
    url: postgres://postgres:\${secret:rds!cluster-abc#password}@127.0.0.1:5432/test
  - id: bad-db
    type: connection-pool
    engine: postgres
    url: "\${secret:erp/bad-url}"
  - id: root-disk
    type: disk
    paths: [/]
    warningPercent: 99
    criticalPercent: 100
`,
    );
    return file;
  }

  it('validate accepts url: ${secret:erp/db-url}', async () => {
    const file = await writeConfig();
    const run = await runCli(['validate', '--config', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('run resolves local secrets (whole value and JSON key); one bad value fails only its check', async () => {
    const file = await writeConfig();
    const run = await runCli(['run', '--config', file, '--format', 'json'], {
      env: {
        HEALTHCHECK_SECRET_ERP_DB_URL: 'postgres://postgres@127.0.0.1:5432/test',
        HEALTHCHECK_SECRET_RDS_CLUSTER_ABC:
          '{"username":"postgres","password":"not-checked-by-trust"}',
        HEALTHCHECK_SECRET_ERP_BAD_URL: 'redis://127.0.0.1:6379',
      },
    });
    const report = JSON.parse(run.stdout) as {
      results: {
        check: string;
        status: string;
        summary: string;
        details: Record<string, unknown>;
      }[];
    };
    const byId = new Map(report.results.map((r) => [r.check, r]));
    // The real PostgreSQL answered both: measured against its own limit, whatever the load is.
    for (const id of ['erp-db', 'rds-db']) {
      expect(byId.get(id)?.status).not.toBe('unknown');
      expect(byId.get(id)?.details).toHaveProperty('maxConnections');
    }
    expect(byId.get('bad-db')).toMatchObject({
      status: 'unknown',
      summary:
        'check failed: invalid value after resolving secrets: url (from secret erp/bad-url): must start with postgres:// or postgresql:// for engine postgres',
    });
    expect(byId.get('root-disk')?.status).not.toBe('unknown');
    expect(run.stdout).not.toContain('not-checked-by-trust');
  }, 60_000);
});
