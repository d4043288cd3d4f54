import type { Status } from '../core/status.ts';

export interface Palette {
  status(status: Status, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const codes: Record<Status, number> = { ok: 32, warning: 33, unknown: 35, critical: 31 };

const plain: Palette = { status: (_, t) => t, dim: (t) => t, bold: (t) => t };

const ansi: Palette = {
  status: (status, t) => `\u001b[${codes[status]}m${t}\u001b[39m`,
  dim: (t) => `\u001b[2m${t}\u001b[22m`,
  bold: (t) => `\u001b[1m${t}\u001b[22m`,
};

/**
 * Colour only for a terminal. `NO_COLOR` (any non-empty value, https://no-color.org) always turns
 * it off; `FORCE_COLOR` follows Node's and chalk's convention: `0` or `false` off, any other
 * non-empty value on (even when piped); `TERM=dumb` is off unless forced.
 */
export function colorEnabled(
  isTTY: boolean | undefined,
  env: Record<string, string | undefined>,
): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env['TERM'] === 'dumb') return false;
  return isTTY === true;
}

export function paletteFor(
  isTTY: boolean | undefined,
  env: Record<string, string | undefined>,
): Palette {
  return colorEnabled(isTTY, env) ? ansi : plain;
}
