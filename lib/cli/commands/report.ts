import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { loadConfigFile } from '../../config/load-config.ts';
import { UsageError } from '../../core/errors.ts';
import { collectStatusFeed } from '../../report/collect.ts';
import { renderStatusPage } from '../../report/render-status-page.ts';
import { type Command, configOption, configPath } from '../command.ts';
import { stateDirOf } from '../local-alerting.ts';
import { openLocalStore, readerWaitMs } from '../open-store.ts';
import { packageVersion } from '../version.ts';

/** Written beside and renamed over, so a browser or web server never sees half a page. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function feedFileFor(htmlFile: string): string {
  const ext = extname(htmlFile);
  return join(dirname(htmlFile), `${basename(htmlFile, ext)}.json`);
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a self-contained HTML status page (and its JSON feed) from the recorded results',
  usage: [
    'healthcheck report --html FILE [--json FILE] [--config FILE] [--state-dir DIR] [--title TEXT]',
    '',
    '  --html FILE   the page: every suite and check, open incidents first, recent runs, durations,',
    '                uptime over 7/30/90 days, next runs; times in the config time zone',
    '  --json FILE   the same data for other tools (default: beside the page, FILE with .json)',
    '  --title TEXT  page heading (default "Health status")',
    '',
    '  The page makes no network requests (inline CSS and SVG, no scripts); open it from disk or',
    '  serve it anywhere. Reads the store only; it never runs checks.',
  ].join('\n'),
  options: {
    ...configOption,
    html: { type: 'string' },
    json: { type: 'string' },
    title: { type: 'string' },
    'state-dir': { type: 'string' },
  },
  async run(values, io) {
    const html = values['html'];
    if (typeof html !== 'string' || html === '') throw new UsageError('--html FILE is required');
    const htmlFile = resolve(io.cwd, html);
    const json = values['json'];
    const jsonFile =
      typeof json === 'string' && json !== '' ? resolve(io.cwd, json) : feedFileFor(htmlFile);
    if (jsonFile === htmlFile) throw new UsageError('--json must name another file than --html');
    const config = await loadConfigFile(configPath(values, io), { env: false });
    const stateDir = stateDirOf(values, io);
    const local = await openLocalStore(stateDir, 'read-only', readerWaitMs);
    let feed: Awaited<ReturnType<typeof collectStatusFeed>>;
    try {
      feed = await collectStatusFeed(config, local.store, { now: new Date() });
    } finally {
      local.close();
    }
    const title = values['title'];
    const page = renderStatusPage(feed, {
      ...(typeof title === 'string' && title !== '' ? { title } : {}),
      feedHref: relative(dirname(htmlFile), jsonFile).split('\\').join('/'),
      version: packageVersion(),
    });
    await writeAtomically(jsonFile, `${JSON.stringify(feed, null, 2)}\n`);
    await writeAtomically(htmlFile, page);
    const open = feed.incidents.length;
    io.stdout.write(
      `wrote status page ${htmlFile} (${feed.checks.length} checks, ${open} open incident${open === 1 ? '' : 's'}${open > 0 ? `: ${feed.incidents.join(', ')}` : ''})\nwrote JSON feed ${jsonFile}\n`,
    );
    return 0;
  },
};
