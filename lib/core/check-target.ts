import type { CheckConfig } from '../config/load-config.ts';

/** Ports of the URL schemes checks use, for schemes WHATWG URL has no default for. */
const defaultPorts: Record<string, string> = {
  'http:': '80',
  'https:': '443',
  'postgres:': '5432',
  'postgresql:': '5432',
  'mysql:': '3306',
  'mariadb:': '3306',
  'redis:': '6379',
  'rediss:': '6379',
};

function fromUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.startsWith('${')) return undefined;
  try {
    const url = new URL(value);
    if (!url.hostname) return undefined;
    const port = url.port || defaultPorts[url.protocol] || '';
    return `${url.hostname.toLowerCase()}:${port}`;
  } catch {
    return undefined;
  }
}

/**
 * The endpoint (`host:port`) a check connects to, read from the fields check types share
 * (`url`, `endpoint`, `host` + `port`), for the engine's per-target limit: many checks behind
 * one gateway or database must not hit it all at once. Undefined when a check names no single
 * endpoint (disk paths, a kubeconfig, a URL that is a whole secret): those are not limited.
 */
export function checkTarget(check: CheckConfig): string | undefined {
  const fields = check as unknown as Record<string, unknown>;
  const host = fields['host'];
  if (typeof host === 'string' && host !== '' && !host.startsWith('${')) {
    const port = typeof fields['port'] === 'number' ? fields['port'] : 443;
    return `${host.toLowerCase()}:${port}`;
  }
  return fromUrl(fields['url']) ?? fromUrl(fields['endpoint']);
}
