import { describe, expect, it } from 'vitest';
import { caseRulesWith } from '../../domain/case-schemas';
import type { ConfidenceVote, DisciplineRecord, PersonRecord } from '../../domain/cases';
import {
  endOfTermReviewDate,
  positionChangeStatus,
  replacementTriggers,
  roleOneLevelLower,
  type MonthlyGrade,
  type TriggerInput,
} from '../../domain/triggers';
import type { Grade, Role } from '../../domain/types';

const record = (over: Partial<TriggerInput> = {}): TriggerInput => ({
  leaderId: 'lead-7',
  monthly: [],
  annual: [],
  confidenceVotes: [],
  disciplinesInTerm: [],
  unitTargetShare: null,
  ...over,
});

// 'YYYY-MM:G' items; '-' for not rated.
const months = (spec: string): MonthlyGrade[] =>
  spec.split(' ').map((s) => {
    const [period, g] = s.split(':');
    return { period, grade: g === '-' ? null : (g as Grade) };
  });
const years = (spec: [number, Grade | null][]): TriggerInput['annual'] =>
  spec.map(([year, grade]) => ({ year, grade }));
const vote = (date: string, low: number, total: number): ConfidenceVote => ({ date, low, total });
const discipline = (date: string, level: DisciplineRecord['level'] = 'reprimand'): DisciplineRecord => ({
  date,
  level,
});
const rulesOf = (over: Partial<TriggerInput>): string[] => replacementTriggers(record(over)).map((t) => t.rule);

describe('replacementTriggers', () => {
  it('fires nothing on a clean record', () => {
    expect(
      replacementTriggers(
        record({
          monthly: months('2026-01:B 2026-02:C 2026-03:A'),
          annual: years([
            [2024, 'B'],
            [2025, 'C'],
          ]),
        }),
      ),
    ).toEqual([]);
  });

  describe('annual-d-2-years', () => {
    it.each<[string, [number, Grade | null][], number[] | null]>([
      [
        'two consecutive D years',
        [
          [2024, 'D'],
          [2025, 'D'],
        ],
        [2024, 2025],
      ],
      [
        'three, given out of order',
        [
          [2025, 'D'],
          [2023, 'D'],
          [2024, 'D'],
        ],
        [2023, 2024, 2025],
      ],
      [
        'the latest run',
        [
          [2019, 'D'],
          [2020, 'D'],
          [2021, 'B'],
          [2024, 'D'],
          [2025, 'D'],
        ],
        [2024, 2025],
      ],
      [
        'one D year',
        [
          [2024, 'C'],
          [2025, 'D'],
        ],
        null,
      ],
      [
        'a year between',
        [
          [2023, 'D'],
          [2024, 'C'],
          [2025, 'D'],
        ],
        null,
      ],
      [
        'a year not rated between',
        [
          [2023, 'D'],
          [2024, null],
          [2025, 'D'],
        ],
        null,
      ],
      [
        'a year missing between',
        [
          [2023, 'D'],
          [2025, 'D'],
        ],
        null,
      ],
    ])('%s', (_name, spec, expected) => {
      const fired = replacementTriggers(record({ annual: years(spec) })).filter((t) => t.rule === 'annual-d-2-years');
      if (expected === null) expect(fired).toEqual([]);
      else {
        expect(fired).toHaveLength(1);
        expect(fired[0].evidence).toEqual({ years: expected });
        expect(fired[0].message).toContain('lead-7');
      }
    });

    it('throws on a year given twice', () => {
      expect(() =>
        replacementTriggers(
          record({
            annual: years([
              [2025, 'D'],
              [2025, 'C'],
            ]),
          }),
        ),
      ).toThrow(RangeError);
    });
  });

  describe('monthly-d-2-consecutive', () => {
    it.each<[string, string, string[] | null]>([
      ['two consecutive D months', '2026-01:B 2026-02:D 2026-03:D', ['2026-02', '2026-03']],
      ['across the new year, out of order', '2026-01:D 2025-11:B 2025-12:D', ['2025-12', '2026-01']],
      ['D, C, D', '2026-01:D 2026-02:C 2026-03:D', null],
      ['D, not rated, D', '2026-01:D 2026-02:- 2026-03:D', null],
      ['D, missing month, D', '2026-01:D 2026-03:D', null],
    ])('%s', (_name, spec, expected) => {
      const fired = replacementTriggers(record({ monthly: months(spec) })).filter(
        (t) => t.rule === 'monthly-d-2-consecutive',
      );
      if (expected === null) expect(fired).toEqual([]);
      else {
        expect(fired).toHaveLength(1);
        expect(fired[0].evidence).toEqual({ periods: expected });
      }
    });

    it('follows a configured run length', () => {
      const input = record({ monthly: months('2026-01:D 2026-02:D') });
      expect(replacementTriggers(input, caseRulesWith({ triggers: { consecutiveDMonths: 3 } }))).toEqual([]);
      expect(replacementTriggers(input).map((t) => t.rule)).toEqual(['monthly-d-2-consecutive']);
    });
  });

  describe('monthly-d-3-in-12', () => {
    it.each<[string, string, { periods: string[]; from: string; to: string } | null]>([
      [
        'three D months spanning exactly 12 months',
        '2025-03:D 2025-08:D 2026-02:D',
        { periods: ['2025-03', '2025-08', '2026-02'], from: '2025-03', to: '2026-02' },
      ],
      ['three D months spanning 13 months', '2025-03:D 2025-08:D 2026-03:D', null],
      ['two D months', '2025-03:D 2025-08:D 2025-09:C', null],
      [
        'the latest qualifying window',
        '2024-01:D 2024-04:D 2024-07:D 2025-05:D 2025-09:D 2026-01:D',
        { periods: ['2025-05', '2025-09', '2026-01'], from: '2025-02', to: '2026-01' },
      ],
      [
        'four in the window are all listed',
        '2025-02:D 2025-04:D 2025-06:D 2025-08:D',
        { periods: ['2025-02', '2025-04', '2025-06', '2025-08'], from: '2024-09', to: '2025-08' },
      ],
    ])('%s', (_name, spec, expected) => {
      const fired = replacementTriggers(record({ monthly: months(spec) })).filter(
        (t) => t.rule === 'monthly-d-3-in-12',
      );
      if (expected === null) expect(fired).toEqual([]);
      else {
        expect(fired).toHaveLength(1);
        expect(fired[0].evidence).toEqual(expected);
      }
    });

    it('fires alongside the consecutive rule for three D months in a row', () => {
      expect(rulesOf({ monthly: months('2026-01:D 2026-02:D 2026-03:D') })).toEqual([
        'monthly-d-2-consecutive',
        'monthly-d-3-in-12',
      ]);
    });

    it('throws on a malformed or repeated period', () => {
      expect(() => rulesOf({ monthly: months('2026-13:D') })).toThrow(RangeError);
      expect(() => rulesOf({ monthly: months('2026-01:D 2026-01:C') })).toThrow(RangeError);
    });
  });

  describe('low-confidence', () => {
    it.each<[string, ConfidenceVote[], boolean]>([
      ['exactly 2/3 (10 of 15)', [vote('2026-04-01', 10, 15)], false],
      ['more than 2/3 (11 of 15)', [vote('2026-04-01', 11, 15)], true],
      ['exactly 2/3 (2 of 3)', [vote('2026-04-01', 2, 3)], false],
      ['3 of 4', [vote('2026-04-01', 3, 4)], true],
      ['no low ballots', [vote('2026-04-01', 0, 15)], false],
      ['all low', [vote('2026-04-01', 15, 15)], true],
    ])('%s', (_name, votes, fires) => {
      expect(rulesOf({ confidenceVotes: votes })).toEqual(fires ? ['low-confidence'] : []);
    });

    it('lists every such vote, oldest first, as evidence', () => {
      const [fired] = replacementTriggers(
        record({
          confidenceVotes: [vote('2026-10-01', 12, 15), vote('2025-10-01', 5, 15), vote('2024-10-01', 14, 15)],
        }),
      );
      expect(fired.rule).toBe('low-confidence');
      expect(fired.evidence).toEqual({
        votes: [
          { date: '2024-10-01', low: 14, total: 15, share: 14 / 15 },
          { date: '2026-10-01', low: 12, total: 15, share: 12 / 15 },
        ],
        threshold: 2 / 3,
      });
      expect(fired.message).toContain('2026-10-01');
    });

    it.each<[string, ConfidenceVote]>([
      ['low above total', vote('2026-04-01', 16, 15)],
      ['no ballots', vote('2026-04-01', 0, 0)],
      ['negative low', vote('2026-04-01', -1, 15)],
      ['a bad date', vote('2026-04-31', 1, 15)],
    ])('throws on %s', (_name, v) => {
      expect(() => rulesOf({ confidenceVotes: [v] })).toThrow(RangeError);
    });
  });

  describe('discipline-twice-in-term', () => {
    it.each<[string, DisciplineRecord[], boolean]>([
      ['none', [], false],
      ['once', [discipline('2025-03-01')], false],
      ['twice', [discipline('2025-03-01'), discipline('2026-02-10', 'warning')], true],
      ['three times', [discipline('2025-03-01'), discipline('2025-09-01'), discipline('2026-02-10')], true],
    ])('%s', (_name, disciplines, fires) => {
      expect(rulesOf({ disciplinesInTerm: disciplines })).toEqual(fires ? ['discipline-twice-in-term'] : []);
    });

    it('gives the decisions, oldest first, as evidence', () => {
      const later = discipline('2026-02-10', 'warning');
      const earlier = discipline('2025-03-01');
      const [fired] = replacementTriggers(record({ disciplinesInTerm: [later, earlier] }));
      expect(fired.evidence).toEqual({ count: 2, disciplines: [earlier, later], threshold: 2 });
      expect(fired.message).toContain('warning 2026-02-10');
    });

    it('throws on a bad date', () => {
      expect(() => rulesOf({ disciplinesInTerm: [discipline('2026-02-30'), discipline('2026-03-01')] })).toThrow(
        RangeError,
      );
    });
  });

  describe('unit-targets-below-70', () => {
    it.each<[string, number | null | undefined, boolean]>([
      ['exactly 70%', 0.7, false],
      ['69%', 0.69, true],
      ['none met', 0, true],
      ['all met', 1, false],
      ['not known', null, false],
      ['not given', undefined, false],
    ])('%s', (_name, share, fires) => {
      const fired = replacementTriggers(record({ unitTargetShare: share }));
      expect(fired.map((t) => t.rule)).toEqual(fires ? ['unit-targets-below-70'] : []);
      if (fires) expect(fired[0].evidence).toEqual({ share, threshold: 0.7 });
    });

    it.each([1.2, -0.1, Number.NaN])('throws on a share of %s', (share) => {
      expect(() => rulesOf({ unitTargetShare: share })).toThrow(RangeError);
    });

    it('follows a configured threshold', () => {
      expect(
        replacementTriggers(
          record({ unitTargetShare: 0.75 }),
          caseRulesWith({ triggers: { unitTargetShare: 0.8 } }),
        ).map((t) => t.rule),
      ).toEqual(['unit-targets-below-70']);
    });
  });

  it('reports every fired trigger in the fixed order', () => {
    const fired = replacementTriggers(
      record({
        monthly: months('2026-01:D 2026-02:D 2026-03:D'),
        annual: years([
          [2024, 'D'],
          [2025, 'D'],
        ]),
        confidenceVotes: [vote('2026-04-01', 11, 15)],
        disciplinesInTerm: [discipline('2025-03-01'), discipline('2026-02-10')],
        unitTargetShare: 0.5,
      }),
    );
    expect(fired.map((t) => t.rule)).toEqual([
      'annual-d-2-years',
      'monthly-d-2-consecutive',
      'monthly-d-3-in-12',
      'low-confidence',
      'discipline-twice-in-term',
      'unit-targets-below-70',
    ]);
    for (const t of fired) expect(t.message).toContain('lead-7');
  });
});

describe('positionChangeStatus', () => {
  const holder = (over: Partial<PersonRecord> = {}): PersonRecord => ({
    id: 'p1',
    unitId: 'u1',
    role: 'staff',
    retirementDate: null,
    positionSince: '2018-06-15',
    sensitivePosition: true,
    deferrals: [],
    ...over,
  });

  it.each<[string, Partial<PersonRecord>, string, ReturnType<typeof positionChangeStatus>]>([
    ['one day short of 24 months', {}, '2020-06-14', null],
    ['exactly 24 months: due', {}, '2020-06-15', { status: 'due', months: 24 }],
    ['59 months: due', {}, '2023-06-14', { status: 'due', months: 59 }],
    ['exactly 60 months: overdue', {}, '2023-06-15', { status: 'overdue', months: 60 }],
    ['72 months: overdue', {}, '2024-06-15', { status: 'overdue', months: 72 }],
    ['not a sensitive position', { sensitivePosition: false }, '2024-06-15', null],
    ['since when unknown', { positionSince: null }, '2024-06-15', null],
    ['since a later date', { positionSince: '2021-01-01' }, '2020-06-15', null],
    ['end-of-month start', { positionSince: '2018-01-31' }, '2020-01-31', { status: 'due', months: 24 }],
  ])('%s', (_name, over, onDate, expected) => {
    expect(positionChangeStatus(holder(over), onDate)).toEqual(expected);
  });

  it('follows configured thresholds', () => {
    const rules = caseRulesWith({ positionChangeDueMonths: 12, positionChangeOverdueMonths: 24 });
    expect(positionChangeStatus(holder(), '2019-06-15', rules)).toEqual({ status: 'due', months: 12 });
    expect(positionChangeStatus(holder(), '2020-06-15', rules)).toEqual({ status: 'overdue', months: 24 });
  });

  it('throws on a malformed date', () => {
    expect(() => positionChangeStatus(holder(), '2026/06/15')).toThrow(RangeError);
  });
});

describe('endOfTermReviewDate', () => {
  it.each<[string, number, string]>([
    ['2022-01-01', 36, '2024-11-02'], // term ends 2025-01-01
    ['2022-08-31', 18, '2023-12-31'], // term ends 2024-02-29
    ['2026-07-15', 3, '2026-08-16'], // term ends 2026-10-15
  ])('%s + %i months', (effective, term, expected) => {
    expect(endOfTermReviewDate(effective, term)).toBe(expected);
  });

  it('follows a configured lead time', () => {
    expect(endOfTermReviewDate('2022-01-01', 36, caseRulesWith({ endOfTermReviewDaysBefore: 30 }))).toBe('2024-12-02');
  });

  it.each<[string, number]>([
    ['2026-01-01', 0],
    ['2026-01-01', 1.5],
    ['2026-02-29', 36],
  ])('throws on %s, %s months', (effective, term) => {
    expect(() => endOfTermReviewDate(effective, term)).toThrow(RangeError);
  });
});

describe('roleOneLevelLower', () => {
  it.each<[Role, Role | null]>([
    ['head', 'deputy'],
    ['deputy', 'staff'],
    ['staff', null],
  ])('%s -> %s', (role, expected) => {
    expect(roleOneLevelLower(role)).toBe(expected);
  });
});

describe('replacementTriggers: evidence in order, and what HR reads', () => {
  it.each<[string, Partial<TriggerInput>, string]>([
    [
      'three D years',
      {
        annual: years([
          [2025, 'D'],
          [2023, 'D'],
          [2024, 'D'],
        ]),
      },
      'lead-7 was rated D for 3 consecutive years (2023, 2024, 2025); 2 propose a replacement',
    ],
    [
      'two D months',
      { monthly: months('2026-02:D 2026-01:D') },
      'lead-7 was D in 2 consecutive months (2026-01, 2026-02); 2 propose a replacement',
    ],
    [
      'three D months in twelve, and one before the window',
      { monthly: months('2026-05:D 2025-01:D 2026-03:D 2026-01:D') },
      'lead-7 was D in 3 months between 2025-06 and 2026-05 (2026-01, 2026-03, 2026-05); 3 in 12 months propose a replacement',
    ],
    [
      'low confidence, the latest vote last',
      { confidenceVotes: [vote('2026-09-01', 11, 15), vote('2025-01-10', 14, 15), vote('2026-03-05', 12, 15)] },
      'lead-7 got 11 low-confidence ballots of 15 on 2026-09-01 (73.3%), more than 66.7%',
    ],
    [
      'three disciplines',
      { disciplinesInTerm: [discipline('2026-05-01', 'warning'), discipline('2025-02-01'), discipline('2025-11-20')] },
      'lead-7 was disciplined 3 times in the term (reprimand 2025-02-01, reprimand 2025-11-20, warning 2026-05-01); 2 propose a replacement',
    ],
    ['unit targets', { unitTargetShare: 0.655 }, 'the unit led by lead-7 met 65.5% of its targets, less than 70%'],
  ])('%s', (_name, over, message) => {
    expect(replacementTriggers(record(over)).map((t) => t.message)).toEqual([message]);
  });

  it('lists the evidence oldest first', () => {
    const [low] = replacementTriggers(
      record({ confidenceVotes: [vote('2026-09-01', 11, 15), vote('2025-01-10', 14, 15), vote('2026-03-05', 12, 15)] }),
    );
    expect((low.evidence.votes as { date: string }[]).map((v) => v.date)).toEqual([
      '2025-01-10',
      '2026-03-05',
      '2026-09-01',
    ]);
    const [window] = replacementTriggers(record({ monthly: months('2026-05:D 2025-01:D 2026-03:D 2026-01:D') }));
    expect(window.evidence).toEqual({ periods: ['2026-01', '2026-03', '2026-05'], from: '2025-06', to: '2026-05' });
  });

  it('the window of three D months leaves out a later D month that completes no window', () => {
    const [window] = replacementTriggers(record({ monthly: months('2025-01:D 2025-03:D 2025-05:D 2026-09:D') }));
    expect(window.evidence).toEqual({ periods: ['2025-01', '2025-03', '2025-05'], from: '2024-06', to: '2025-05' });
  });

  it.each(['x2026-01', '2026-011'])('refuses the period %s', (period) => {
    expect(() => replacementTriggers(record({ monthly: [{ period, grade: 'D' }] }))).toThrow(
      new RangeError(`period must be YYYY-MM, got '${period}'`),
    );
  });
});
