import { describe, expect, it } from 'vitest';
import { annualQuotaCheck, annualRollup, monthResultOf, type MonthResult } from '../../domain/annual';
import { rulesWith } from '../../domain/config-validation';
import type { Grade } from '../../domain/types';

const month = (i: number, total: number | null, grade: Grade | null, disciplined = false): MonthResult => ({
  period: `2026-${String(i).padStart(2, '0')}`,
  total,
  grade,
  disciplined,
});
const year = (spec: [number | null, Grade | null, boolean?][]): MonthResult[] =>
  spec.map(([t, g, d], i) => month(i + 1, t, g, d ?? false));
const repeat = <T>(n: number, x: T): T[] => Array.from({ length: n }, () => x);

describe('annualRollup', () => {
  it.each<
    [string, MonthResult[], boolean, { ratedMonths: number; mean: number | null; grade: Grade | null; caps: string[] }]
  >([
    ['twelve A months', year(repeat(12, [92, 'A'])), false, { ratedMonths: 12, mean: 92, grade: 'A', caps: [] }],
    [
      'mean is banded',
      year([...repeat(6, [80, 'B'] as [number, Grade]), ...repeat(6, [60, 'C'] as [number, Grade])]),
      false,
      { ratedMonths: 12, mean: 70, grade: 'B', caps: [] },
    ],
    [
      'five rated months: not rated',
      year([...repeat(5, [95, 'A'] as [number, Grade]), ...repeat(7, [null, null] as [null, null])]),
      false,
      { ratedMonths: 5, mean: 95, grade: null, caps: ['not-rated'] },
    ],
    [
      'six rated months: rated',
      year([...repeat(6, [95, 'A'] as [number, Grade]), ...repeat(6, [null, null] as [null, null])]),
      false,
      { ratedMonths: 6, mean: 95, grade: 'A', caps: [] },
    ],
    [
      'discipline in the year: D',
      year(repeat(12, [95, 'A'])),
      true,
      { ratedMonths: 12, mean: 95, grade: 'D', caps: ['discipline'] },
    ],
    [
      'a disciplined month: D',
      year([...repeat(11, [95, 'A'] as [number, Grade]), [65, 'C', true]]),
      false,
      { ratedMonths: 12, mean: 92.5, grade: 'D', caps: ['discipline'] },
    ],
    [
      'A mean with a D month: B',
      year([...repeat(11, [95, 'A'] as [number, Grade]), [45, 'D']]),
      false,
      { ratedMonths: 12, mean: 90.8, grade: 'B', caps: ['d-month'] },
    ],
    [
      'B mean with a D month stays B',
      year([...repeat(11, [80, 'B'] as [number, Grade]), [45, 'D']]),
      false,
      { ratedMonths: 12, mean: 77.1, grade: 'B', caps: [] },
    ],
    [
      'mean rounded to one decimal before banding',
      year([...repeat(3, [90, 'A'] as [number, Grade]), ...repeat(3, [89.9, 'B'] as [number, Grade])]),
      false,
      { ratedMonths: 6, mean: 90, grade: 'A', caps: [] },
    ],
    [
      'not-rated months are left out of the mean',
      year([...repeat(6, [70, 'B'] as [number, Grade]), [null, null], [null, null]]),
      false,
      { ratedMonths: 6, mean: 70, grade: 'B', caps: [] },
    ],
    ['no months', [], false, { ratedMonths: 0, mean: null, grade: null, caps: ['not-rated'] }],
  ])('%s', (_name, months, discipline, expected) => {
    expect(annualRollup(months, discipline)).toEqual(expected);
  });

  it('honours a configured minimum of rated months', () => {
    const months = year(repeat(4, [80, 'B']));
    expect(annualRollup(months, false).grade).toBeNull();
    expect(annualRollup(months, false, rulesWith({ annualMinRatedMonths: 4 })).grade).toBe('B');
  });

  it('throws when a month is counted twice (e.g. merged after a move)', () => {
    expect(() => annualRollup([month(1, 80, 'B'), month(1, 85, 'B')], false)).toThrow(RangeError);
  });
});

describe('annualQuotaCheck', () => {
  const g = (s: string): (Grade | null)[] => [...s].map((c) => (c === '-' ? null : (c as Grade)));
  it.each<[string, { aCount: number; bCount: number; allowedA: number; breached: boolean }]>([
    ['ABBBBB', { aCount: 1, bCount: 5, allowedA: 1, breached: false }],
    ['AABBBBB', { aCount: 2, bCount: 5, allowedA: 1, breached: true }],
    ['ABBBB', { aCount: 1, bCount: 4, allowedA: 0, breached: true }],
    ['AAABBBBBBBBBBBBBBB', { aCount: 3, bCount: 15, allowedA: 3, breached: false }],
    ['AAAABBBBBBBBBBBBBBB', { aCount: 4, bCount: 15, allowedA: 3, breached: true }],
    ['ABBBBBCD--', { aCount: 1, bCount: 5, allowedA: 1, breached: false }],
    ['', { aCount: 0, bCount: 0, allowedA: 0, breached: false }],
  ])('%s', (grades, expected) => {
    expect(annualQuotaCheck(g(grades))).toEqual(expected);
  });
});

describe('annualRollup: a month with a total but no grade', () => {
  it('is not counted as rated', () => {
    const months = [...year(repeat(6, [80, 'B'])), { period: '2026-07', total: 10, grade: null, disciplined: false }];
    expect(annualRollup(months, false)).toEqual({ ratedMonths: 6, mean: 80, grade: 'B', caps: [] });
  });
});

describe('monthResultOf: a settled month as the roll-up counts it', () => {
  const month = (finalGrade: Grade | null, caps: string[]) => ({
    period: '2025-03',
    total: 82,
    finalGrade,
    caps: caps.map((rule) => ({ rule })),
  });
  it.each([
    ['a graded month', month('B', []), { total: 82, grade: 'B', disciplined: false }],
    ['an absence cap: not rated', month('C', ['absence']), { total: null, grade: null, disciplined: false }],
    ['no final grade: not rated', month(null, []), { total: null, grade: null, disciplined: false }],
    ['a discipline cap: rated and flagged', month('D', ['discipline']), { total: 82, grade: 'D', disciplined: true }],
  ])('%s', (_what, settled, expected) => {
    expect(monthResultOf(settled)).toEqual({ period: '2025-03', ...expected });
  });
});
