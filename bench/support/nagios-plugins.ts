import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export const pluginInstallHint =
  'install Debian monitoring-plugins: apt-get install -y monitoring-plugins-basic monitoring-plugins-standard';

const pluginDirs = [
  '/usr/lib/nagios/plugins',
  '/usr/lib/monitoring-plugins',
  '/usr/local/nagios/libexec',
];

/**
 * Path of a monitoring-plugins binary such as `check_http`, or undefined when not installed.
 * `BENCH_PLUGIN_DIR` searches that folder only (another build of the plugins, or none).
 */
export function findPlugin(name: string): string | undefined {
  const only = process.env.BENCH_PLUGIN_DIR;
  const dirs = only
    ? [only]
    : [...pluginDirs, ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean)];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Status words of plugin output lines (`OK - ...`, `DISK OK - ...`, `SSL CRITICAL - ...`). */
export function pluginStatuses(output: string): string[] {
  const statuses: string[] = [];
  for (const line of output.split('\n')) {
    const match = /\b(OK|WARNING|CRITICAL|UNKNOWN)\b/.exec(line);
    if (match?.[1]) statuses.push(match[1].toLowerCase());
  }
  return statuses;
}
