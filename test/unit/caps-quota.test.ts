import { describe, expect, it } from 'vitest';
import { capsFor, isRated, maxGradeUnder, type Cap, type CapFacts } from '../../domain/caps';
import { rulesWith } from '../../domain/config-validation';
import { allowedA, quotaBreach } from '../../domain/quota';
import type { Grade } from '../../domain/types';

const base: CapFacts = {
  disciplinedInMonth: false,
  leaveWorkingDays: 0,
  workingDaysInMonth: 22,
  isLeader: false,
  someoneLedIsD: false,
};

describe('capsFor', () => {
  it.each<[string, Partial<CapFacts>, [Cap['rule'], Grade | null][]]>([
    ['no caps', {}, []],
    ['discipline on', { disciplinedInMonth: true }, [['discipline', 'C']]],
    ['leader with a D subordinate', { isLeader: true, someoneLedIsD: true }, [['leader-tied-to-unit', 'B']]],
    ['leader without a D subordinate', { isLeader: true, someoneLedIsD: false }, []],
    ['non-leader flag ignored', { isLeader: false, someoneLedIsD: true }, []],
    ['absence more than half', { leaveWorkingDays: 12, workingDaysInMonth: 22 }, [['absence', null]]],
    ['absence exactly half', { leaveWorkingDays: 11, workingDaysInMonth: 22 }, []],
    ['absence odd month, 11 of 21', { leaveWorkingDays: 11, workingDaysInMonth: 21 }, [['absence', null]]],
    ['absence 10 of 21', { leaveWorkingDays: 10, workingDaysInMonth: 21 }, []],
    [
      'all three',
      { disciplinedInMonth: true, isLeader: true, someoneLedIsD: true, leaveWorkingDays: 20 },
      [
        ['discipline', 'C'],
        ['leader-tied-to-unit', 'B'],
        ['absence', null],
      ],
    ],
  ])('%s', (_name, facts, expected) => {
    const caps = capsFor({ ...base, ...facts });
    expect(caps.map((c) => [c.rule, c.maxGrade])).toEqual(expected);
    for (const c of caps) expect(c.reason.length).toBeGreaterThan(0);
  });

  it('uses configured caps', () => {
    const rules = rulesWith({ disciplineCap: 'D', absenceNotRatedShare: 0.25 });
    expect(capsFor({ ...base, disciplinedInMonth: true }, rules)[0].maxGrade).toBe('D');
    expect(capsFor({ ...base, leaveWorkingDays: 6, workingDaysInMonth: 22 }, rules).map((c) => c.rule)).toEqual([
      'absence',
    ]);
  });

  it('rejects negative leave', () => {
    expect(() => capsFor({ ...base, leaveWorkingDays: -1 })).toThrow(RangeError);
  });
});

describe('maxGradeUnder / isRated', () => {
  const cap = (rule: Cap['rule'], maxGrade: Grade | null): Cap => ({ rule, maxGrade, reason: rule });
  it.each<[string, Cap[], Grade | null, boolean]>([
    ['no caps', [], 'A', true],
    ['discipline', [cap('discipline', 'C')], 'C', true],
    ['leader', [cap('leader-tied-to-unit', 'B')], 'B', true],
    ['worst of two', [cap('leader-tied-to-unit', 'B'), cap('discipline', 'C')], 'C', true],
    ['absence wins', [cap('discipline', 'C'), cap('absence', null)], null, false],
  ])('%s', (_name, caps, max, rated) => {
    expect(maxGradeUnder(caps)).toBe(max);
    expect(isRated(caps)).toBe(rated);
  });
});

describe('allowedA', () => {
  it.each<[number, boolean, number]>([
    [0, false, 0],
    [1, false, 1],
    [3, false, 1],
    [4, false, 1],
    [7, false, 2],
    [9, false, 2],
    [10, false, 3],
    [20, false, 6],
    [70, false, 21],
    [0, true, 0],
    [3, true, 1],
    [5, true, 2],
    [10, true, 4],
  ])('%s rated, outstanding=%s -> %s', (rated, outstanding, allowed) => {
    expect(allowedA(rated, outstanding)).toBe(allowed);
  });

  it('honours a configured minimum and rate', () => {
    expect(allowedA(3, false, rulesWith({ minQuotaSlots: 2 }))).toBe(2);
    expect(allowedA(3, false, rulesWith({ minQuotaSlots: 0 }))).toBe(0);
    expect(allowedA(10, false, rulesWith({ quotaRate: 0.7 }))).toBe(7);
    // 0.7 × 90 is 62.99999999999999 in floating point: must still be 63
    expect(allowedA(90, false, rulesWith({ quotaRate: 0.7 }))).toBe(63);
  });

  it.each([-1, 1.5])('rejects rated=%s', (n) => expect(() => allowedA(n, false)).toThrow(RangeError));
});

describe('quotaBreach', () => {
  const g = (s: string): (Grade | null)[] => [...s].map((c) => (c === '-' ? null : (c as Grade)));
  it.each<[string, boolean, null | { allowed: number; given: number; excess: number; rated: number }]>([
    ['AAABBBBBBB', false, null],
    ['AAAABBBBBB', false, { allowed: 3, given: 4, excess: 1, rated: 10 }],
    ['AAAABBBBBB', true, null],
    ['AAAAABBBBB', true, { allowed: 4, given: 5, excess: 1, rated: 10 }],
    ['AAABBBBBB', false, { allowed: 2, given: 3, excess: 1, rated: 9 }],
    ['A', false, null],
    ['AA', false, { allowed: 1, given: 2, excess: 1, rated: 2 }],
    ['AAA', false, { allowed: 1, given: 3, excess: 2, rated: 3 }],
    // not-rated people are left out: 10 listed, 9 rated -> 2 allowed
    ['AAABBBBBB-', false, { allowed: 2, given: 3, excess: 1, rated: 9 }],
    ['---', false, null],
    ['', false, null],
  ])('%s outstanding=%s', (grades, outstanding, expected) => {
    const breach = quotaBreach(g(grades), outstanding);
    if (expected === null) {
      expect(breach).toBeNull();
    } else {
      expect(breach).toMatchObject({ rule: 'quota', ...expected });
      expect(breach?.message).toContain(String(expected.excess));
    }
  });
});

describe('what a cap and a breach say', () => {
  it('states the leave and the share', () => {
    expect(capsFor({ ...base, leaveWorkingDays: 11, workingDaysInMonth: 20 })).toEqual([
      { rule: 'absence', maxGrade: null, reason: 'on approved leave 11 of 20 working days (more than 50%): not rated' },
    ]);
  });

  it.each<[Grade[], boolean, string]>([
    [
      ['A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'B', 'B'],
      false,
      '4 A grades given but at most 3 allowed (30% of 10 rated): 1 too many',
    ],
    [
      ['A', 'A', 'A', 'A', 'A', 'B', 'B', 'B', 'B', 'B'],
      true,
      '5 A grades given but at most 4 allowed (40% of 10 rated, unit outstanding): 1 too many',
    ],
  ])('%j outstanding %s', (grades, outstanding, message) => {
    expect(quotaBreach(grades, outstanding)?.message).toBe(message);
  });
});
