import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every query lives in db/ behind a named function; the API, the activities, the worker and the
// scripts only call them. Checked on the source, so a query written anywhere else fails here,
// naming the file and the line. test/ is the one exception: a test sets up and inspects the
// database directly, to check db/'s functions rather than trust them. A new top-level folder is
// checked without being listed.
const root = fileURLToPath(new URL('../../', import.meta.url));
const EXEMPT = new Set(['db', 'test', 'node_modules', 'docs', 'patches', 'reports', 'dist', 'coverage']);
const SOURCE = /\.(?:ts|tsx|mts|js|mjs)$/;
const files = readdirSync(root, { withFileTypes: true })
  .filter((e) => !e.name.startsWith('.') && !EXEMPT.has(e.name))
  .flatMap((e) =>
    e.isDirectory()
      ? (readdirSync(join(root, e.name), { recursive: true }) as string[]).map((f) => join(root, e.name, f))
      : [join(root, e.name)],
  )
  .filter((f) => SOURCE.test(f));

const banned: [string, RegExp][] = [
  // sql`…`, sql<Row[]>`…`, tx`…`, deps.sql`…`
  ['the sql template tag', /\b(?:sql|tx)\s*(?:<[^`]*?>)?\s*`/],
  ['a transaction', /\b(?:sql|tx)\.begin\s*\(/],
  ['raw SQL', /\b(?:sql|tx)\.(?:unsafe|file)\s*\(/],
];

/** The file's lines that match `pattern`, as `path:line`. */
function offendingLines(path: string, source: string, pattern: RegExp): string[] {
  return source
    .split('\n')
    .map((line, i) => ({ line, at: `${relative(root, path)}:${i + 1}` }))
    .filter(({ line }) => pattern.test(line.replace(/^\s*(\/\/|\*|\/\*).*$/, '').replace(/\s\/\/ .*$/, '')))
    .map(({ at }) => at);
}

describe('SQL only in db/', () => {
  it('finds the sources outside db/ and test/', () => {
    const folders = new Set(files.map((f) => relative(root, f).split('/')[0]));
    for (const folder of ['activities', 'api', 'contracts', 'domain', 'scripts', 'worker', 'workflows']) {
      expect(folders).toContain(folder);
    }
    expect(files.some((f) => f.endsWith(join('api', 'routes', 'cases.ts')))).toBe(true);
    expect(files.some((f) => f.endsWith(join('activities', 'cycles.ts')))).toBe(true);
    expect(files.some((f) => relative(root, f).startsWith('db/') || relative(root, f).startsWith('test/'))).toBe(false);
  });

  it('recognizes a query when it sees one', () => {
    expect(offendingLines('x.ts', 'const [p] = await sql<{ id: string }[]>`select 1`;', banned[0][1])).toEqual([
      'x.ts:1',
    ]);
    expect(offendingLines('x.ts', 'await deps.sql`select 1`', banned[0][1])).toHaveLength(1);
    expect(offendingLines('x.ts', 'await tx`insert`', banned[0][1])).toHaveLength(1);
    expect(offendingLines('x.ts', 'const [row] = await sql<{ a: string; b: number }[]>`', banned[0][1])).toHaveLength(
      1,
    );
    expect(offendingLines('x.ts', 'await findCase(sql, id); // not sql`here`', banned[0][1])).toHaveLength(0);
  });

  it.each(banned)('uses no %s', (what, pattern) => {
    const found = files.flatMap((f) => offendingLines(f, readFileSync(f, 'utf8'), pattern));
    expect(found, `only db/ may hold ${what}; call a function of db/ instead: ${found.join(', ')}`).toEqual([]);
  });
});
