import { describe, expect, it } from 'vitest';
import { scanStatement } from '../../../lib/checks/sql/statement.ts';

describe('scanStatement', () => {
  it.each([
    ['postgres', 'select 1', false, 0],
    ['postgres', 'select 1;', false, 0],
    ['postgres', 'select 1; -- trailing comment\n', false, 0],
    ['postgres', 'select 1; /* done */ ;', false, 0],
    ['postgres', 'select 1; delete from t', true, 0],
    ['postgres', "select 'a;b' from t where x = $1 and y = $2", false, 2],
    ['postgres', "select 'it''s; fine', $3", false, 3],
    ['postgres', "select E'\\'; delete from t' as s", false, 0],
    ['postgres', "select '\\'; delete from t; --'", true, 0],
    ['postgres', 'select "a;b" from t', false, 0],
    ['postgres', 'select $$a; b$$, $tag$ ; $1 $tag$', false, 0],
    ['postgres', 'select 1 /* nested /* ; */ still comment ; */', false, 0],
    ['postgres', "select data ? 'key' from t", false, 0],
    ['postgres', "select 1; 'x'", true, 0],
    ['mysql', 'SELECT ? , ?', false, 2],
    ['mysql', "SELECT 'a\\'; DROP TABLE t; -- ' AS s", false, 0],
    ['mysql', 'SELECT `we;ird` FROM t # comment ; DROP\n', false, 0],
    ['mysql', 'SELECT 1; DROP TABLE t', true, 0],
    ['mysql', 'SELECT \'?\', "?", `?` FROM t WHERE a = ?', false, 1],
    ['mysql', 'SELECT 5--1', false, 0],
  ] as const)('%s: %s', (dialect, sql, extra, placeholders) => {
    const scan = scanStatement(sql, dialect);
    expect({ extra: scan.extraStatement, placeholders: scan.placeholders }).toEqual({
      extra,
      placeholders,
    });
  });

  it('only comments is empty', () => {
    expect(scanStatement('-- nothing\n/* here */', 'postgres').empty).toBe(true);
    expect(scanStatement('select 1', 'postgres').empty).toBe(false);
  });
});
