import { describe, expect, it } from 'vitest';
import { rulesWith } from '../../domain/config-validation';
import { commendations, talentFinding, windowsOverlap, type SettledMonth } from '../../domain/talent';
import { targetCompletion, type UnitTarget } from '../../domain/targets';
import type { Grade } from '../../domain/types';

// Twelve months of 2024 from a string of grades, '-' for not rated.
const year = (grades: string, y = 2024): SettledMonth[] =>
  [...grades].map((g, i) => ({
    period: `${y}-${String(i + 1).padStart(2, '0')}`,
    grade: g === '-' ? null : (g as Grade),
  }));

describe('talentFinding', () => {
  const cases: [string, SettledMonth[], string[], string, boolean][] = [
    ['ten A of twelve', year('AABAAAABAAAA'), [], '2024-12', true],
    ['twelve A of twelve', year('AAAAAAAAAAAA'), [], '2024-12', true],
    ['nine A of twelve', year('AABAAAABAAAB'), [], '2024-12', false],
    ['a month not rated is not A', year('AA-AAAA-AAAA'), [], '2024-12', true],
    ['three not rated', year('AA-AAAA--AAA'), [], '2024-12', false],
    ['discipline inside the window', year('AAAAAAAAAAAA'), ['2024-06-10'], '2024-12', false],
    ['discipline before the window', year('AAAAAAAAAAAA'), ['2023-12-31'], '2024-12', true],
    ['discipline after the window', year('AAAAAAAAAAAA'), ['2025-01-02'], '2024-12', true],
    ['A months outside the window do not count', year('AAAAAAAAAAAA'), [], '2025-06', false],
    ['the window spans two years', [...year('BBBBBAAAAAAA'), ...year('AAABBBBBBBBB', 2025)], [], '2025-03', true],
  ];
  it.each(cases)('%s', (_name, months, disciplines, to, expected) => {
    expect(talentFinding(months, disciplines, to) !== null).toBe(expected);
  });

  it('names the window and its A months', () => {
    expect(talentFinding(year('AABAAAABAAAA'), [], '2024-12')).toEqual({
      from: '2024-01',
      to: '2024-12',
      aMonths: [
        '2024-01',
        '2024-02',
        '2024-04',
        '2024-05',
        '2024-06',
        '2024-07',
        '2024-09',
        '2024-10',
        '2024-11',
        '2024-12',
      ],
    });
  });

  it('takes its numbers from the rules', () => {
    const rules = rulesWith({ talentAMonths: 5, talentWindowMonths: 6 });
    expect(talentFinding(year('BBBBBBAAAAAB'), [], '2024-12', rules)).not.toBeNull();
    expect(talentFinding(year('BBBBBBAAAABB'), [], '2024-12', rules)).toBeNull();
    expect(() => rulesWith({ talentAMonths: 13 })).toThrow(/talentAMonths/);
  });

  it('refuses a malformed or repeated month', () => {
    expect(() => talentFinding([{ period: '2024-13', grade: 'A' }], [], '2024-12')).toThrow(RangeError);
    expect(() => talentFinding([...year('A'), ...year('A')], [], '2024-12')).toThrow(/more than once/);
  });
});

describe('windowsOverlap', () => {
  it.each([
    [{ from: '2024-01', to: '2024-12' }, { from: '2024-02', to: '2025-01' }, true],
    [{ from: '2024-01', to: '2024-12' }, { from: '2024-12', to: '2025-11' }, true],
    [{ from: '2024-01', to: '2024-12' }, { from: '2025-01', to: '2025-12' }, false],
  ])('%o and %o: %s', (a, b, expected) => {
    expect(windowsOverlap(a, b)).toBe(expected);
  });
});

describe('commendations', () => {
  it('lists the A grades only, in order', () => {
    const lines = [
      { personId: 'a', finalGrade: 'A' },
      { personId: 'b', finalGrade: 'B' },
      { personId: 'c', finalGrade: null },
      { personId: 'd', finalGrade: 'A' },
    ];
    expect(commendations(lines).map((l) => l.personId)).toEqual(['a', 'd']);
  });
});

describe('targetCompletion', () => {
  const cases: [string, UnitTarget[], number | null][] = [
    ['no targets', [], null],
    ['one target met', [{ name: 'x', weight: 1, planned: 10, achieved: 10 }], 1],
    ['one target half met', [{ name: 'x', weight: 1, planned: 10, achieved: 5 }], 0.5],
    ['over-achieved counts as met', [{ name: 'x', weight: 1, planned: 10, achieved: 30 }], 1],
    ['a percentage', [{ name: 'x', weight: 1, completion: 65 }], 0.65],
    ['a percentage over 100 is capped', [{ name: 'x', weight: 1, completion: 150 }], 1],
    [
      'weighted: 2×100% and 1×40%',
      [
        { name: 'x', weight: 2, planned: 4, achieved: 4 },
        { name: 'y', weight: 1, completion: 40 },
      ],
      0.8,
    ],
    [
      'over-achieving one target does not hide another',
      [
        { name: 'x', weight: 1, planned: 10, achieved: 20 },
        { name: 'y', weight: 1, planned: 10, achieved: 0 },
      ],
      0.5,
    ],
    ['rounded to four decimals', [{ name: 'x', weight: 1, planned: 3, achieved: 2 }], 0.6667],
  ];
  it.each(cases)('%s', (_name, targets, expected) => {
    expect(targetCompletion(targets)).toBe(expected);
  });

  it.each([
    [{ name: 'x', weight: 0, completion: 50 }, /weight/],
    [{ name: 'x', weight: 1, planned: 0, achieved: 1 }, /planned/],
    [{ name: 'x', weight: 1, planned: 1, achieved: -1 }, /achieved/],
    [{ name: 'x', weight: 1, completion: -5 }, /completion/],
  ] as [UnitTarget, RegExp][])('refuses %o', (t, message) => {
    expect(() => targetCompletion([t])).toThrow(message);
  });
});
