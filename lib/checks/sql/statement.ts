export type SqlDialect = 'postgres' | 'mysql';

/** What a scan of the query text found outside strings, quoted names and comments. */
export interface StatementScan {
  /** Text after the first statement's `;` that is more than whitespace and comments. */
  readonly extraStatement: boolean;
  /** Whether there is any statement at all (not only comments). */
  readonly empty: boolean;
  /** Placeholders the params must fill: `?` count (mysql) or the highest `$n` (postgres). */
  readonly placeholders: number;
}

const identifierChar = /[A-Za-z0-9_]/;

/** The end of a quoted run opened at `start` (exclusive), honouring doubled quotes. */
function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return i;
}

function skipBlockComment(sql: string, start: number, nests: boolean): number {
  let depth = 1;
  let i = start + 2;
  while (i < sql.length && depth > 0) {
    if (nests && sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
    } else i++;
  }
  return i;
}

function skipLine(sql: string, start: number): number {
  const end = sql.indexOf('\n', start);
  return end === -1 ? sql.length : end + 1;
}

/** PostgreSQL dollar quoting: `$tag$ ... $tag$` (the tag may be empty, never starts with a digit). */
function dollarTag(sql: string, start: number): string | undefined {
  const match = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start, start + 66));
  return match?.[0];
}

interface Cursor {
  index: number;
  placeholders: number;
}

/** Skips one string, quoted name or comment at the cursor; says which, or false for neither. */
function skipNonCode(sql: string, dialect: SqlDialect, at: Cursor): 'quoted' | 'comment' | false {
  const i = at.index;
  const c = sql[i] ?? '';
  const mysql = dialect === 'mysql';
  if (c === "'") {
    // E'...' strings take backslash escapes in PostgreSQL; MySQL strings always do.
    const escapeString =
      !mysql && /[eE]/.test(sql[i - 1] ?? '') && !identifierChar.test(sql[i - 2] ?? '');
    at.index = skipQuoted(sql, i, "'", mysql || escapeString);
  } else if (c === '"') at.index = skipQuoted(sql, i, '"', mysql);
  else if (c === '`' && mysql) at.index = skipQuoted(sql, i, '`', false);
  else if (sql.startsWith('/*', i)) {
    at.index = skipBlockComment(sql, i, !mysql);
    return 'comment';
  } else if (sql.startsWith('--', i) && (!mysql || /\s|^$/.test(sql[i + 2] ?? ''))) {
    at.index = skipLine(sql, i);
    return 'comment';
  } else if (c === '#' && mysql) {
    at.index = skipLine(sql, i);
    return 'comment';
  } else if (c === '$' && !mysql && dollarTag(sql, i)) {
    const tag = dollarTag(sql, i) ?? '$$';
    const end = sql.indexOf(tag, i + tag.length);
    at.index = end === -1 ? sql.length : end + tag.length;
  } else return false;
  return 'quoted';
}

/**
 * Scans a query the way the server's lexer would, enough to tell whether it holds a second
 * statement and how many placeholders it has. Drivers refuse multiple statements too; this says
 * so at `validate` time, with the field's path.
 */
export function scanStatement(sql: string, dialect: SqlDialect): StatementScan {
  const at: Cursor = { index: 0, placeholders: 0 };
  let code = false;
  let ended = false;
  let extraStatement = false;
  while (at.index < sql.length) {
    const skipped = skipNonCode(sql, dialect, at);
    if (skipped === 'quoted') {
      if (ended) extraStatement = true;
      else code = true;
    }
    if (skipped) continue;
    const c = sql[at.index] ?? '';
    if (/\s/.test(c)) {
      at.index++;
      continue;
    }
    if (ended) {
      extraStatement = extraStatement || c !== ';';
      at.index++;
      continue;
    }
    if (c === ';') ended = true;
    else {
      code = true;
      if (c === '?' && dialect === 'mysql') at.placeholders++;
      const numbered =
        dialect === 'postgres' && c === '$' ? /^\$(\d+)/.exec(sql.slice(at.index)) : null;
      if (numbered && !identifierChar.test(sql[at.index - 1] ?? '')) {
        at.placeholders = Math.max(at.placeholders, Number(numbered[1]));
        at.index += numbered[0].length;
        continue;
      }
    }
    at.index++;
  }
  return { extraStatement, empty: !code, placeholders: at.placeholders };
}
