import { describe, expect, it } from 'vitest';
import {
  deliberationOverdue,
  deliberationWasLate,
  emulationTitle,
  monthsBetween,
  reportLine,
  reportQuota,
  sumLines,
  unrated,
  type CycleFacts,
  type MonthCounts,
} from '../../domain/reports';
import type { Grade } from '../../domain/types';
import { csvCell } from '../../api/exports';

const NOW = 1_000_000;
const cycle = (
  phase: string | null,
  due: number | null,
  publishedAt: number | null = null,
  outstanding = false,
): CycleFacts => ({
  phase,
  outstanding,
  deliberationDue: due,
  publishedAt,
});
const counts = (members: number, grades: Partial<Record<Grade, number>> = {}): MonthCounts => ({
  members,
  done: { plan: 3, selfAssessment: 2, review: 1 },
  missed: { plan: 2, selfAssessment: 1, review: 1 },
  overdue: { plan: 1, selfAssessment: 1, review: 0 },
  grades: { A: 0, B: 0, C: 0, D: 0, ...grades },
  escalations: 4,
  escalationsOpen: 2,
});

describe('emulationTitle', () => {
  it.each<[Grade | null, string | null]>([
    ['A', 'Hoàn thành xuất sắc nhiệm vụ'],
    ['B', 'Hoàn thành tốt nhiệm vụ'],
    ['C', 'Hoàn thành nhiệm vụ'],
    ['D', 'Không hoàn thành nhiệm vụ'],
    [null, null],
  ])('annual grade %s proposes %s', (grade, title) => {
    expect(emulationTitle(grade)).toBe(title);
  });
});

describe('deliberationOverdue', () => {
  it.each<[string, CycleFacts, boolean]>([
    ['no cycle', cycle(null, null), false],
    ['open, deadline passed', cycle('open', NOW - 1), true],
    ['deliberating, deadline passed', cycle('deliberation', NOW - 1), true],
    ['deliberating, deadline now', cycle('deliberation', NOW), false],
    ['deliberating, deadline ahead', cycle('deliberation', NOW + 1), false],
    ['published after the deadline', cycle('published', NOW - 1, NOW - 1), false],
    ['locked', cycle('locked', NOW - 1, NOW - 5), false],
  ])('%s: %s', (_name, c, expected) => {
    expect(deliberationOverdue(c, NOW)).toBe(expected);
  });
});

describe('deliberationWasLate', () => {
  it.each<[string, CycleFacts, boolean]>([
    ['no cycle', cycle(null, null), false],
    ['published before the deadline', cycle('published', NOW, NOW - 1), false],
    ['published at the deadline', cycle('published', NOW, NOW), false],
    ['published after the deadline', cycle('locked', NOW - 10, NOW - 1), true],
    ['unpublished, deadline passed', cycle('deliberation', NOW - 1), true],
    ['unpublished, deadline ahead', cycle('open', NOW + 1), false],
  ])('%s: %s', (_name, c, expected) => {
    expect(deliberationWasLate(c, NOW)).toBe(expected);
  });
});

describe('reportQuota', () => {
  it.each<
    [
      string,
      number,
      Partial<Record<Grade, number>>,
      CycleFacts,
      { allowed: number; used: number; outstanding: boolean },
    ]
  >([
    ['before publication: over every member', 10, {}, cycle('open', null), { allowed: 3, used: 0, outstanding: false }],
    [
      'outstanding unit: 40%',
      10,
      {},
      cycle('deliberation', null, null, true),
      { allowed: 4, used: 0, outstanding: true },
    ],
    [
      'published: over the rated only',
      10,
      { A: 2, B: 4, C: 1 },
      cycle('published', null),
      { allowed: 2, used: 2, outstanding: false },
    ],
    ['small unit keeps one slot', 2, {}, cycle('open', null), { allowed: 1, used: 0, outstanding: false }],
    ['nobody', 0, {}, cycle(null, null), { allowed: 0, used: 0, outstanding: false }],
  ])('%s', (_name, members, grades, c, expected) => {
    expect(reportQuota({ members, grades: { A: 0, B: 0, C: 0, D: 0, ...grades } }, c)).toEqual(expected);
  });
});

describe('report lines and totals', () => {
  it('counts the unrated as members without a final grade, never below zero', () => {
    expect(unrated(counts(5, { A: 1, B: 2 }))).toBe(2);
    expect(unrated(counts(1, { A: 1, B: 2 }))).toBe(0);
  });

  it('sums every field of the lines, and counts the units flagged outstanding', () => {
    const a = reportLine(counts(10, { A: 3, B: 5, C: 1 }), cycle('published', NOW - 5, NOW - 1, true), NOW);
    const b = reportLine(counts(4), cycle('deliberation', NOW - 1), NOW);
    expect(b).toEqual({
      members: 4,
      done: { plan: 3, selfAssessment: 2, review: 1 },
      overdue: { plan: 1, selfAssessment: 1, review: 0, deliberation: 1 },
      escalationsOpen: 2,
      grades: { A: 0, B: 0, C: 0, D: 0, unrated: 4 },
      quota: { allowed: 1, used: 0, outstanding: false },
    });
    expect(sumLines([a, b])).toEqual({
      units: 2,
      members: 14,
      done: { plan: 6, selfAssessment: 4, review: 2 },
      overdue: { plan: 2, selfAssessment: 2, review: 0, deliberation: 1 },
      escalationsOpen: 4,
      grades: { A: 3, B: 5, C: 1, D: 0, unrated: 5 },
      quota: { allowed: 4, used: 3, outstanding: 1 },
    });
  });
});

describe('monthsBetween', () => {
  it.each<[string, string, number, string[]]>([
    ['2026-11', '2027-02', 12, ['2026-11', '2026-12', '2027-01', '2027-02']],
    ['2027-05', '2027-05', 1, ['2027-05']],
  ])('%s to %s', (from, to, max, expected) => {
    expect(monthsBetween(from, to, max)).toEqual(expected);
  });

  it.each<[string, string, number, RegExp]>([
    ['2027-02', '2027-01', 12, /before/],
    ['2026-01', '2027-01', 12, /at most 12 months, got 13/],
  ])('refuses %s to %s', (from, to, max, message) => {
    expect(() => monthsBetween(from, to, max)).toThrow(message);
  });
});

describe('csvCell', () => {
  it.each<[string | number | null, string | number]>([
    ['Nguyễn Văn An', 'Nguyễn Văn An'],
    ['=HYPERLINK("x")', `'=HYPERLINK("x")`],
    ['+1', `'+1`],
    ['-1', `'-1`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tx', `'\tx`],
    ['a=b', 'a=b'],
    [-5, -5],
    [88.5, 88.5],
    [null, ''],
  ])('%j is written as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
