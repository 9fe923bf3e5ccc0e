import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// domain/ runs inside the Temporal workflow sandbox: anything non-deterministic or Node-only
// there would break replay, so the rule is checked on the source itself.
const domainDir = fileURLToPath(new URL('../../domain/', import.meta.url));
const files = readdirSync(domainDir).filter((f) => f.endsWith('.ts'));

const banned: [string, RegExp][] = [
  ['Date.now()', /Date\.now\s*\(/],
  ['new Date() without arguments', /new Date\s*\(\s*\)/],
  ['randomness', /Math\.random|crypto\.|randomUUID/],
  ['Intl / locale formatting', /\bIntl\b|toLocale\w*\(|localeCompare\(/],
  ['Node built-ins', /from ['"](node:|fs|path|os|crypto|child_process|http|https|net|util|process)['"/]/],
  ['process globals', /\bprocess\.\w/],
  ['timers', /\bsetTimeout\(|\bsetInterval\(/],
  ['any', /:\s*any\b|\bas any\b|<any>/],
  ['import with extension', /from ['"]\.{1,2}\/[^'"]*\.(js|ts)['"]/],
];

// Packages that compute from their arguments alone: the lunar calendar is a table and arithmetic.
const PURE_PACKAGES = new Set(['zod', '@dqcai/vn-lunar']);

describe('domain purity', () => {
  it('has the expected modules, kebab-case', () => {
    expect(files.sort()).toEqual(
      expect.arrayContaining([
        'annual.ts',
        'calendar.ts',
        'caps.ts',
        'config.ts',
        'deliberation.ts',
        'errors.ts',
        'quota.ts',
        'scope.ts',
        'scoring.ts',
        'types.ts',
      ]),
    );
    for (const f of files) expect(f).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.ts$/);
  });

  describe.each(files)('%s', (file) => {
    // Comments may name what is banned (to explain why); only code is checked.
    const source = readFileSync(domainDir + file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
      .replace(/\s\/\/ .*$/gm, '');
    it.each(banned)('uses no %s', (_what, pattern) => {
      expect(source).not.toMatch(pattern);
    });
    it('imports only zod, the lunar calendar and relative modules', () => {
      const specifiers = [...source.matchAll(/from ['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const s of specifiers) expect(PURE_PACKAGES.has(s) || s.startsWith('./')).toBe(true);
    });
  });
});
