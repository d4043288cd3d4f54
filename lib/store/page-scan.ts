/**
 * Reads table rows straight from SQLite's page format (https://sqlite.org/fileformat2.html),
 * without the b-tree above them: every table-leaf page of the file (and of its WAL) is parsed on
 * its own, so a damaged root, interior or schema page costs nothing, and a damaged leaf costs
 * only its own rows. Used by doctor's salvage; rows are trusted only after their checksum.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export type ColumnValue = null | number | string;

export interface RawRow {
  readonly rowid: number;
  readonly values: readonly ColumnValue[];
  /** Where it was found: later WAL frames hold newer pages. */
  readonly source: 'file' | 'wal';
}

const tableLeaf = 0x0d;
const walHeaderBytes = 32;
const walFrameHeaderBytes = 24;

function readVarint(page: Buffer, at: number): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const byte = page[at + i];
    if (byte === undefined) throw new RangeError('varint past the end of the page');
    if (i === 8) return { value: value * 256 + byte, next: at + 9 };
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return { value, next: at + i + 1 };
  }
  throw new RangeError('bad varint');
}

function pageSizeOf(fd: number): number {
  const header = Buffer.alloc(18);
  readSync(fd, header, 0, 18, 0);
  const raw = header.readUInt16BE(16);
  const size = raw === 1 ? 65536 : raw;
  // A damaged header: the store never changes SQLite's default.
  return size >= 512 && size <= 65536 && (size & (size - 1)) === 0 ? size : 4096;
}

class PageFile {
  readonly fd: number;
  readonly pageSize: number;
  readonly pages: number;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.pageSize = pageSizeOf(this.fd);
    this.pages = Math.floor(fstatSync(this.fd).size / this.pageSize);
  }

  page(number: number): Buffer | undefined {
    if (number < 1 || number > this.pages) return undefined;
    const buffer = Buffer.alloc(this.pageSize);
    readSync(this.fd, buffer, 0, this.pageSize, (number - 1) * this.pageSize);
    return buffer;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The whole payload of a cell, following its overflow chain through the main file. */
function payloadOf(
  page: Buffer,
  start: number,
  total: number,
  usable: number,
  file: PageFile,
): Buffer | undefined {
  const maxLocal = usable - 35;
  if (total <= maxLocal) {
    if (start + total > page.length) return undefined;
    return page.subarray(start, start + total);
  }
  const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
  const k = minLocal + ((total - minLocal) % (usable - 4));
  const local = k <= maxLocal ? k : minLocal;
  if (start + local + 4 > page.length) return undefined;
  const parts = [page.subarray(start, start + local)];
  let remaining = total - local;
  let next = page.readUInt32BE(start + local);
  for (let hops = 0; remaining > 0; hops++) {
    const overflow = hops < 100_000 ? file.page(next) : undefined;
    if (!overflow) return undefined;
    const take = Math.min(remaining, usable - 4);
    parts.push(overflow.subarray(4, 4 + take));
    remaining -= take;
    next = overflow.readUInt32BE(0);
  }
  return Buffer.concat(parts);
}

function decodeRecord(payload: Buffer): ColumnValue[] {
  const header = readVarint(payload, 0);
  const types: number[] = [];
  for (let at = header.next; at < header.value; ) {
    const t = readVarint(payload, at);
    types.push(t.value);
    at = t.next;
  }
  const values: ColumnValue[] = [];
  let at = header.value;
  const intBytes = [0, 1, 2, 3, 4, 6, 8];
  for (const type of types) {
    if (type === 0) values.push(null);
    else if (type >= 1 && type <= 6) {
      const bytes = intBytes[type] as number;
      if (at + bytes > payload.length) throw new RangeError('integer past the payload');
      values.push(bytes === 8 ? Number(payload.readBigInt64BE(at)) : payload.readIntBE(at, bytes));
      at += bytes;
    } else if (type === 7) {
      values.push(payload.readDoubleBE(at));
      at += 8;
    } else if (type === 8 || type === 9) values.push(type - 8);
    else if (type >= 12) {
      const length = Math.floor((type - (type % 2 === 0 ? 12 : 13)) / 2);
      if (at + length > payload.length) throw new RangeError('value past the payload');
      values.push(type % 2 === 1 ? payload.toString('utf8', at, at + length) : null);
      at += length;
    } else throw new RangeError(`reserved serial type ${type}`);
  }
  return values;
}

function leafRows(
  page: Buffer,
  headerAt: number,
  file: PageFile,
  source: RawRow['source'],
): RawRow[] {
  if (page[headerAt] !== tableLeaf) return [];
  const rows: RawRow[] = [];
  const cells = page.readUInt16BE(headerAt + 3);
  for (let i = 0; i < cells; i++) {
    try {
      const pointer = page.readUInt16BE(headerAt + 8 + i * 2);
      if (pointer < headerAt + 8 || pointer >= page.length) continue;
      const size = readVarint(page, pointer);
      const rowid = readVarint(page, size.next);
      const payload = payloadOf(page, rowid.next, size.value, page.length, file);
      if (payload) rows.push({ rowid: rowid.value, values: decodeRecord(payload), source });
    } catch {
      // A damaged cell: skip it, keep the page's others.
    }
  }
  return rows;
}

/** Every row on every table-leaf page of a database file and its WAL, whatever else is damaged. */
export function scanRows(path: string, walPath?: string): RawRow[] {
  const file = new PageFile(path);
  const rows: RawRow[] = [];
  try {
    for (let n = 1; n <= file.pages; n++) {
      const page = file.page(n) as Buffer;
      rows.push(...leafRows(page, n === 1 ? 100 : 0, file, 'file'));
    }
    if (walPath) rows.push(...walRows(walPath, file));
  } finally {
    file.close();
  }
  return rows;
}

function walRows(walPath: string, file: PageFile): RawRow[] {
  let fd: number;
  try {
    fd = openSync(walPath, 'r');
  } catch {
    return [];
  }
  const rows: RawRow[] = [];
  try {
    const frameBytes = walFrameHeaderBytes + file.pageSize;
    const frames = Math.floor((fstatSync(fd).size - walHeaderBytes) / frameBytes);
    const frameHeader = Buffer.alloc(walFrameHeaderBytes);
    for (let i = 0; i < frames; i++) {
      const at = walHeaderBytes + i * frameBytes;
      readSync(fd, frameHeader, 0, walFrameHeaderBytes, at);
      const page = Buffer.alloc(file.pageSize);
      readSync(fd, page, 0, file.pageSize, at + walFrameHeaderBytes);
      rows.push(...leafRows(page, frameHeader.readUInt32BE(0) === 1 ? 100 : 0, file, 'wal'));
    }
  } finally {
    closeSync(fd);
  }
  return rows;
}
