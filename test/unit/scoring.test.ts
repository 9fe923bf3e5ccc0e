import { describe, expect, it } from 'vitest';
import {
  cycleProfile,
  DEFAULT_PROFILE_SCHEDULE,
  GRADE_ORDER,
  HN_2023,
  ND335_2025,
  PROFILES,
  gradeAtMost,
  gradeFor,
  isBetter,
  profileFor,
  round1,
  taskItemPoints,
  totalOf,
  validateScores,
  type ProfileSchedule,
} from '../../domain/scoring';
import type { Grade, Scores } from '../../domain/types';

describe('gradeFor band edges (HN-2023)', () => {
  it.each<[number, Grade]>([
    [0, 'D'],
    [49.9, 'D'],
    [50, 'C'],
    [69.9, 'C'],
    [70, 'B'],
    [89.9, 'B'],
    [90, 'A'],
    [100, 'A'],
  ])('%s -> %s', (total, grade) => {
    expect(gradeFor(total)).toBe(grade);
    expect(gradeFor(total, ND335_2025)).toBe(grade);
  });

  it('absorbs float noise at an edge but not a real shortfall', () => {
    expect(gradeFor(89.99999999999999)).toBe('A');
    expect(gradeFor(89.99)).toBe('B');
  });
});

describe('validateScores', () => {
  const ok: Scores = { discipline: 18, tasks: 62.5, bonus: 0 };
  it('accepts valid scores, integers or one decimal, at range ends', () => {
    expect(validateScores(HN_2023, ok)).toEqual([]);
    expect(validateScores(HN_2023, { discipline: 20, tasks: 70, bonus: 10 })).toEqual([]);
    expect(validateScores(HN_2023, { discipline: 0, tasks: 0, bonus: 0 })).toEqual([]);
    expect(validateScores(HN_2023, { discipline: 0.1 + 0.2, tasks: 0, bonus: 0 })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, { field: string; rule: string }[]]>([
    ['unknown key', { ...ok, extra: 1 }, [{ field: 'scores.extra', rule: 'unknown' }]],
    ['missing key', { discipline: 18, tasks: 62 }, [{ field: 'scores.bonus', rule: 'required' }]],
    ['above max', { ...ok, tasks: 70.1 }, [{ field: 'scores.tasks', rule: 'range' }]],
    ['below min', { ...ok, bonus: -1 }, [{ field: 'scores.bonus', rule: 'range' }]],
    ['not a number (string)', { ...ok, tasks: '60' }, [{ field: 'scores.tasks', rule: 'type' }]],
    ['not a number (NaN)', { ...ok, tasks: Number.NaN }, [{ field: 'scores.tasks', rule: 'type' }]],
    ['more than one decimal', { ...ok, discipline: 12.34 }, [{ field: 'scores.discipline', rule: 'precision' }]],
    [
      'several at once',
      { discipline: 25.55, bonus: 'x', other: 3 },
      [
        { field: 'scores.discipline', rule: 'range' },
        { field: 'scores.discipline', rule: 'precision' },
        { field: 'scores.tasks', rule: 'required' },
        { field: 'scores.bonus', rule: 'type' },
        { field: 'scores.other', rule: 'unknown' },
      ],
    ],
  ])('%s', (_name, scores, expected) => {
    const issues = validateScores(HN_2023, scores as Scores);
    expect(issues.map(({ field, rule }) => ({ field, rule }))).toEqual(expected);
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(0);
  });

  it('validates against the ND335 criteria', () => {
    expect(validateScores(ND335_2025, { general: 30, tasks: 70 })).toEqual([]);
    expect(validateScores(ND335_2025, { general: 31, tasks: 70 }).map((i) => i.rule)).toEqual(['range']);
    expect(validateScores(ND335_2025, ok).map((i) => `${i.field}:${i.rule}`)).toEqual([
      'scores.general:required',
      'scores.discipline:unknown',
      'scores.bonus:unknown',
    ]);
  });
});

describe('totalOf', () => {
  it.each<[Scores, number]>([
    [{ discipline: 20, tasks: 70, bonus: 10 }, 100],
    [{ discipline: 0.1, tasks: 0.2, bonus: 0 }, 0.3],
    [{ discipline: 18.5, tasks: 61.4, bonus: 0.1 }, 80],
    [{ discipline: 15, tasks: 34.9, bonus: 0 }, 49.9],
  ])('%j -> %s', (scores, total) => {
    expect(totalOf(HN_2023, scores)).toBe(total);
  });

  it('throws on invalid scores', () => {
    expect(() => totalOf(HN_2023, { discipline: 21, tasks: 0, bonus: 0 })).toThrow(RangeError);
  });
});

describe('taskItemPoints (ND335 deductions)', () => {
  const rule = ND335_2025.taskItems!;
  it.each<[string, { quality: number; timeliness: number; failedChecks: number; delays: number }[], number]>([
    ['no loss', [{ quality: 10, timeliness: 5, failedChecks: 0, delays: 0 }], 15],
    ['one failed check, one delay', [{ quality: 10, timeliness: 5, failedChecks: 1, delays: 1 }], 11.3],
    ['two failed checks', [{ quality: 8, timeliness: 4, failedChecks: 2, delays: 0 }], 8],
    ['floored at zero', [{ quality: 8, timeliness: 4, failedChecks: 5, delays: 4 }], 0],
    [
      'sum of items',
      [
        { quality: 20, timeliness: 10, failedChecks: 1, delays: 0 },
        { quality: 20, timeliness: 20, failedChecks: 0, delays: 3 },
      ],
      50,
    ],
    ['empty', [], 0],
  ])('%s', (_name, items, expected) => {
    expect(taskItemPoints(items, rule)).toBe(expected);
  });

  it('rejects negative counts', () => {
    expect(() => taskItemPoints([{ quality: 1, timeliness: 1, failedChecks: -1, delays: 0 }], rule)).toThrow(
      RangeError,
    );
  });
});

describe('round1', () => {
  it.each<[number, number]>([
    [0.1 + 0.2, 0.3],
    [11.25, 11.3],
    [1.005 * 10, 10.1],
    [79.94, 79.9],
  ])('%s -> %s', (x, y) => expect(round1(x)).toBe(y));
});

describe('profileFor', () => {
  const schedule: ProfileSchedule = [
    { profileId: 'ND335-2025', from: '2026-07' },
    { profileId: 'HN-2023', from: '2018-01' },
  ];
  it.each<[string, ProfileSchedule, string]>([
    ['2018-01', DEFAULT_PROFILE_SCHEDULE, 'HN-2023'],
    ['2026-11', DEFAULT_PROFILE_SCHEDULE, 'HN-2023'],
    ['2026-06', schedule, 'HN-2023'],
    ['2026-07', schedule, 'ND335-2025'],
    ['2026-11', schedule, 'ND335-2025'],
  ])('%s -> %s', (period, s, _id) => {
    expect(profileFor(period, s).id).toBe(_id);
  });

  it.each<[string, string, ProfileSchedule]>([
    ['before any entry', '2017-12', DEFAULT_PROFILE_SCHEDULE],
    ['unknown profile', '2020-01', [{ profileId: 'nope', from: '2019-01' }]],
    ['bad period', '2026-13', DEFAULT_PROFILE_SCHEDULE],
  ])('throws: %s', (_name, period, s) => {
    expect(() => profileFor(period, s)).toThrow(RangeError);
  });

  it('ships both profiles, ND335 outside the default schedule', () => {
    expect(Object.keys(PROFILES).sort()).toEqual(['HN-2023', 'ND335-2025']);
    expect(ND335_2025.effectiveFrom).toBe('2026-01');
    expect(DEFAULT_PROFILE_SCHEDULE).toEqual([{ profileId: 'HN-2023', from: '2018-01' }]);
    expect(HN_2023.criteria.map((c) => [c.key, c.min, c.max])).toEqual([
      ['discipline', 0, 20],
      ['tasks', 0, 70],
      ['bonus', 0, 10],
    ]);
    expect(ND335_2025.criteria.map((c) => [c.key, c.min, c.max])).toEqual([
      ['general', 0, 30],
      ['tasks', 0, 70],
    ]);
  });
});

describe('cycleProfile', () => {
  it.each<[string, string | undefined, string, string]>([
    ['the profile the cycle recorded', 'ND335-2025', '2026-09', 'ND335-2025'],
    ['the recorded one even where the schedule says otherwise', 'HN-2023', '2030-01', 'HN-2023'],
    ["none recorded: the default schedule's", undefined, '2026-09', 'HN-2023'],
    ["an unknown id: the default schedule's", 'nope', '2026-09', 'HN-2023'],
    ["an inherited property name is no profile: the default schedule's", 'constructor', '2026-09', 'HN-2023'],
  ])('%s', (_name, profileId, period, expected) => {
    expect(cycleProfile(profileId, period).id).toBe(expected);
  });

  it('throws where nothing is in force, as profileFor does', () => {
    expect(() => cycleProfile(undefined, '2017-12')).toThrow(RangeError);
  });
});

describe('grade order helpers', () => {
  it('orders A best to D worst', () => expect(GRADE_ORDER).toEqual(['A', 'B', 'C', 'D']));

  it.each<[Grade, Grade, Grade]>([
    ['A', 'C', 'C'],
    ['B', 'B', 'B'],
    ['D', 'C', 'D'],
    ['C', 'A', 'C'],
  ])('gradeAtMost(%s, %s) = %s', (g, cap, expected) => expect(gradeAtMost(g, cap)).toBe(expected));

  it.each<[Grade, Grade, boolean]>([
    ['A', 'B', true],
    ['B', 'A', false],
    ['C', 'C', false],
    ['C', 'D', true],
  ])('isBetter(%s, %s) = %s', (a, b, expected) => expect(isBetter(a, b)).toBe(expected));
});

describe('scoring: edges', () => {
  it('grades a total below every band D', () => {
    expect(gradeFor(-1)).toBe('D');
  });

  it.each(['x2026-01', '2026-011'])('refuses the period %s', (period) => {
    expect(() => profileFor(period)).toThrow(new RangeError(`period must be YYYY-MM, got '${period}'`));
  });

  it('takes the latest entry in force, in any order', () => {
    const schedule = [
      { profileId: 'ND335-2025', from: '2026-01' },
      { profileId: 'HN-2023', from: '2018-01' },
    ];
    expect(profileFor('2026-05', schedule).id).toBe('ND335-2025');
    expect(profileFor('2026-05', [...schedule].reverse()).id).toBe('ND335-2025');
    expect(profileFor('2025-12', schedule).id).toBe('HN-2023');
  });

  it('accepts zero points and refuses negative counts and points', () => {
    const rule = ND335_2025.taskItems!;
    expect(taskItemPoints([{ quality: 0, timeliness: 0, failedChecks: 0, delays: 0 }], rule)).toBe(0);
    expect(() => taskItemPoints([{ quality: -1, timeliness: 1, failedChecks: 0, delays: 0 }], rule)).toThrow(
      new RangeError('items[0]: points must be non-negative numbers'),
    );
    expect(() => taskItemPoints([{ quality: 1, timeliness: 1, failedChecks: 0, delays: -1 }], rule)).toThrow(
      new RangeError('items[0]: failedChecks and delays must be non-negative integers'),
    );
  });
});
