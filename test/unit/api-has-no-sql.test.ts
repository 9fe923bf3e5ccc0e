import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every query lives in db/ behind a named function; api/ and the web pages (web/) only call them. Checked on the source,
// so a query written into a route handler fails here, naming the file and the line.
const root = fileURLToPath(new URL('../../', import.meta.url));
const files = ['api', 'web'].flatMap((folder) =>
  (readdirSync(join(root, folder), { recursive: true }) as string[])
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => join(root, folder, f)),
);

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

describe('api/ holds no SQL', () => {
  it('finds the api sources', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((f) => f.endsWith(join('routes', 'cases.ts')))).toBe(true);
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
    expect(found, `api/ must call a function of db/ instead of ${what}: ${found.join(', ')}`).toEqual([]);
  });
});
