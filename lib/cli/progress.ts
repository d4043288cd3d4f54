import type { CliIo } from './io.ts';

export interface Progress {
  started(name: string): void;
  finished(name: string): void;
  done(): void;
}

const silent: Progress = { started() {}, finished() {}, done() {} };

/** A single self-overwriting line on a terminal's stderr while checks run; nothing otherwise. */
export function progressFor(io: CliIo, total: number): Progress {
  if (!io.stderr.isTTY || total === 0) return silent;
  const running = new Set<string>();
  let finished = 0;
  let lastDraw = 0;
  const draw = (force = false): void => {
    const now = Date.now();
    if (!force && now - lastDraw < 80) return;
    lastDraw = now;
    const names = [...running].slice(0, 3).join(', ');
    const more = running.size > 3 ? ` +${running.size - 3}` : '';
    const text = `[${finished}/${total}] ${names}${more}`.slice(0, 100);
    io.stderr.write(`\r\u001b[2K${text}`);
  };
  return {
    started(name) {
      running.add(name);
      draw();
    },
    finished(name) {
      running.delete(name);
      finished++;
      draw(finished === total);
    },
    done() {
      io.stderr.write('\r\u001b[2K');
    },
  };
}
