/**
 * The evaluation pages speak both languages: every catalogue key they name literally is in the
 * Vietnamese and the English catalogue, and so is every band, step and state they name by value.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import en from '../../web/locales/en.json' with { type: 'json' };
import vi from '../../web/locales/vi.json' with { type: 'json' };

const PAGES = [
  'scores.tsx',
  'self-assessment.tsx',
  'self-assessment-routes.tsx',
  'review.tsx',
  'review-routes.tsx',
  'month.tsx',
  'month-routes.tsx',
  'evaluation-routes.tsx',
];

const has = (catalogue: unknown, key: string) =>
  key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue) !==
  undefined;

const literalKeys = PAGES.flatMap((file) => {
  const source = readFileSync(new URL(`../../web/pages/${file}`, import.meta.url), 'utf8');
  return [...source.matchAll(/\bt\('([\w.-]+)'/g)].map((m) => [file, m[1]] as const);
});

const byValue = [
  ...['A', 'B', 'C', 'D'].map((g) => `scoring.band.${g}`),
  ...['plan', 'selfAssessment', 'review', 'deliberation', 'publication', 'complaint', 'lock'].map(
    (s) => `month.step.${s}`,
  ),
  ...['done', 'missed', 'overdue', 'waiting'].map((s) => `month.state.${s}`),
  ...[403, 404].map((s) => `evaluation.${s}`),
];

describe('the evaluation pages in both catalogues', () => {
  it('names some keys (the scan works)', () => {
    expect(literalKeys.length).toBeGreaterThan(30);
  });

  it.each(literalKeys)('%s: %s', (_file, key) => {
    expect(has(vi, key), `vi ${key}`).toBe(true);
    expect(has(en, key), `en ${key}`).toBe(true);
  });

  it.each(byValue)('%s', (key) => {
    expect(has(vi, key), `vi ${key}`).toBe(true);
    expect(has(en, key), `en ${key}`).toBe(true);
  });
});
