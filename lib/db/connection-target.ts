import { readFile } from 'node:fs/promises';
import { type DbEngine, schemeProblem, type TlsField } from './connection-fields.ts';

const defaultPorts: Record<DbEngine, number> = { postgres: 5432, mysql: 3306, redis: 6379 };

/** The config fields a connection is made from (the database checks share them). */
export interface ConnectionFields {
  readonly engine: DbEngine;
  readonly url: string;
  readonly tls?: TlsField;
  readonly timeoutSeconds: number;
  /** The config path a `tls.ca` came from, for errors (`ca` where a check has a shorthand). */
  readonly caField?: string;
}

export interface TlsSettings {
  readonly ca?: string;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
}

/** Where and how to connect, parsed once from the check's `url` and `tls` fields. */
export interface ConnectionTarget {
  readonly engine: DbEngine;
  readonly host: string;
  readonly port: number;
  readonly user?: string;
  readonly password?: string;
  /** Database name (postgres, mysql) or number (redis). */
  readonly database?: string;
  readonly tls?: TlsSettings;
  /** How results name the target, never with credentials: `postgres 127.0.0.1:5432`. */
  readonly label: string;
  /** Strings to scrub from anything the check reports (the password, raw and decoded). */
  readonly secrets: readonly string[];
  /** The driver's own connect timeout, so a slow server gets a clear reason before the deadline. */
  readonly connectTimeoutMs: number;
}

/** The URL could not be used; the message never repeats the URL. */
export class ConnectionUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionUrlError';
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** libpq's sslmode; `prefer`/`allow` cannot fall back in node-postgres, so they mean plain TCP. */
function postgresSslMode(url: URL): TlsSettings | undefined {
  const mode = url.searchParams.get('sslmode');
  if (mode === 'require') return { rejectUnauthorized: false };
  if (mode === 'verify-ca' || mode === 'verify-full') return { rejectUnauthorized: true };
  return undefined;
}

async function readCa(ca: string | undefined, field: string): Promise<string | undefined> {
  if (ca === undefined) return undefined;
  if (ca.includes('-----BEGIN')) return ca;
  try {
    return await readFile(ca, 'utf8');
  } catch (error) {
    throw new ConnectionUrlError(
      `${field}: cannot read ${ca}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

async function tlsSettings(config: ConnectionFields, url: URL): Promise<TlsSettings | undefined> {
  const { tls } = config;
  if (tls === false) return undefined;
  if (typeof tls === 'object') {
    const ca = await readCa(tls.ca, config.caField ?? 'tls.ca');
    return {
      rejectUnauthorized: tls.rejectUnauthorized,
      ...(ca ? { ca } : {}),
      ...(tls.servername ? { servername: tls.servername } : {}),
    };
  }
  if (tls === true || url.protocol === 'rediss:') return { rejectUnauthorized: true };
  return config.engine === 'postgres' ? postgresSslMode(url) : undefined;
}

export async function connectionTarget(config: ConnectionFields): Promise<ConnectionTarget> {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw new ConnectionUrlError(
      'url is not a valid URL (percent-encode special characters in the user and password)',
    );
  }
  // The config schema checks the scheme too, but a whole-URL secret is only known now.
  const schemeIssue = schemeProblem(config.engine, config.url);
  if (schemeIssue) throw new ConnectionUrlError(`url ${schemeIssue}`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const port = url.port ? Number(url.port) : defaultPorts[config.engine];
  const user = url.username ? decode(url.username) : undefined;
  const password = url.password ? decode(url.password) : undefined;
  const path = decode(url.pathname.replace(/^\//, ''));
  const tls = await tlsSettings(config, url);
  const timeoutMs = config.timeoutSeconds * 1000;
  return {
    engine: config.engine,
    host,
    port,
    ...(user ? { user } : {}),
    ...(password ? { password } : {}),
    ...(path ? { database: path } : {}),
    ...(tls ? { tls } : {}),
    label: `${config.engine} ${host.includes(':') ? `[${host}]` : host}:${port}`,
    secrets: password ? [...new Set([password, url.password])] : [],
    connectTimeoutMs: Math.max(250, Math.round(timeoutMs * 0.9)),
  };
}
