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

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function paletteFor(
  isTTY: boolean | undefined,
  env: Record<string, string | undefined>,
): Palette {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return plain;
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return ansi;
  return isTTY ? ansi : plain;
}
