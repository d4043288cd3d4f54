import { existsSync } from 'node:fs';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium package (scripts/ensure-packages.sh installs it). */
export const chromiumPath = '/usr/bin/chromium';

/** Flags for a quiet, offline headless Chromium: nothing phones home during a test. */
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return existsSync(chromiumPath);
}

/**
 * Headless Chromium with a fresh profile in `userDataDir` (a temp dir the test removes), through
 * playwright-core with the system binary: no browser download.
 */
export function launchChromium(
  userDataDir: string,
  options: Parameters<typeof chromium.launchPersistentContext>[1] = {},
): Promise<BrowserContext> {
  if (!chromiumAvailable()) {
    throw new Error(
      `${chromiumPath} is missing: run scripts/ensure-packages.sh (apt-get install chromium)`,
    );
  }
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    args: chromiumFlags,
    headless: true,
    ...options,
  });
}
