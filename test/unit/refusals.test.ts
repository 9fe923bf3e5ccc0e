/**
 * A rule that refuses its input says which value it refuses: the message reaches the logs, the
 * alert or the API's answer, and "no such date '2026-02-30'" is what lets someone fix the data.
 * Also the boundaries just inside each refusal, which must still be accepted.
 */
import { describe, expect, it } from 'vitest';
import { reservedIdIssues } from '../../domain/actors';
import { annualRollup } from '../../domain/annual';
import {
  addWorkingDays,
  atLocal,
  fromMs,
  isWorkingDay,
  nthWorkingDay,
  toMs,
  workingDaysIn,
} from '../../domain/calendar';
import { capsFor } from '../../domain/caps';
import { addDays, addMonths, checkEligibility, monthsBetween } from '../../domain/eligibility';
import { DATA_REFUSED, DomainError, ErrorType, isErrorTypeName } from '../../domain/errors';
import { partiesOf } from '../../domain/parties';
import { allowedA } from '../../domain/quota';
import { reviewerOf, topUnitOf } from '../../domain/scope';
import { gradeAtMost, HN_2023, ND335_2025, profileFor, taskItemPoints, totalOf } from '../../domain/scoring';
import { endOfTermReviewDate, replacementTriggers, type TriggerInput } from '../../domain/triggers';
import type { Directory, Grade } from '../../domain/types';
import { tallyVotes } from '../../domain/votes';

const person = {
  id: 'p1',
  unitId: 'u1',
  role: 'staff' as const,
  retirementDate: null,
  positionSince: null,
  sensitivePosition: false,
  deferrals: [],
};
const record = (over: Partial<TriggerInput>): TriggerInput => ({
  leaderId: 'lead-7',
  monthly: [],
  annual: [],
  confidenceVotes: [],
  disciplinesInTerm: [],
  ...over,
});
const dir: Directory = {
  units: [
    { id: 'x', name: 'x', parentId: 'y' },
    { id: 'y', name: 'y', parentId: 'x' },
  ],
  people: [],
};
const caps = {
  disciplinedInMonth: false,
  leaveWorkingDays: 0,
  workingDaysInMonth: 20,
  isLeader: false,
  someoneLedIsD: false,
};

describe('a refusal names what it refuses', () => {
  it.each<[string, () => unknown, string]>([
    [
      'annual: a month twice',
      () =>
        annualRollup(
          [
            { period: '2026-01', total: 80, grade: 'B', disciplined: false },
            { period: '2026-01', total: 80, grade: 'B', disciplined: false },
          ],
          false,
        ),
      'month 2026-01 appears more than once',
    ],
    [
      'annual: a grade without a total',
      () => annualRollup([{ period: '2026-02', total: null, grade: 'B', disciplined: false }], false),
      'month 2026-02 has a grade but no total',
    ],
    ['calendar: not a date', () => isWorkingDay('soon', []), "date must be YYYY-MM-DD, got 'soon'"],
    ['calendar: 30 February', () => isWorkingDay('2026-02-30', []), "no such date '2026-02-30'"],
    [
      'calendar: a two-digit year, which Date.UTC would read as 19xx',
      () => isWorkingDay('0050-01-01', []),
      "no such date '0050-01-01'",
    ],
    ['calendar: not a period', () => workingDaysIn('2026-13', []), "period must be YYYY-MM, got '2026-13'"],
    ['calendar: fractional working days', () => addWorkingDays('2026-01-05', 1.5, []), 'n must be an integer, got 1.5'],
    ['calendar: working day 0', () => nthWorkingDay('2026-01', 0, []), 'n must be a positive integer, got 0'],
    ['calendar: working day 1.5', () => nthWorkingDay('2026-01', 1.5, []), 'n must be a positive integer, got 1.5'],
    [
      'calendar: a working day the month lacks',
      () => nthWorkingDay('2026-02', 21, []),
      '2026-02 has only 20 working days, no working day 21',
    ],
    [
      'calendar: an instant without offset',
      () => toMs('2026-12-03T17:00:00'),
      "expected an ISO date-time with offset, got '2026-12-03T17:00:00'",
    ],
    ['calendar: an instant in month 13', () => toMs('2026-13-01T00:00Z'), "invalid instant '2026-13-01T00:00Z'"],
    ['calendar: an infinite instant', () => fromMs(Infinity), 'ms must be finite, got Infinity'],
    ['calendar: hour 24', () => atLocal('2026-12-03', 24), 'hour must be 0–23, got 24'],
    ['calendar: minute 60', () => atLocal('2026-12-03', 8, 60), 'minute must be 0–59, got 60'],
    ['calendar: minute -1', () => atLocal('2026-12-03', 8, -1), 'minute must be 0–59, got -1'],
    ['calendar: minute 0.5', () => atLocal('2026-12-03', 8, 0.5), 'minute must be 0–59, got 0.5'],
    ['eligibility: not a date', () => addMonths('soon', 1), "date must be YYYY-MM-DD, got 'soon'"],
    ['eligibility: month 13', () => addMonths('2026-13-01', 1), "no such date '2026-13-01'"],
    ['eligibility: month 00', () => addDays('2026-00-10', 1), "no such date '2026-00-10'"],
    ['eligibility: day 00', () => addDays('2026-03-00', 1), "no such date '2026-03-00'"],
    ['eligibility: 29 February of a century', () => addDays('2100-02-29', 1), "no such date '2100-02-29'"],
    ['eligibility: fractional months', () => addMonths('2026-01-31', 1.5), 'n must be an integer, got 1.5'],
    ['eligibility: fractional days', () => addDays('2026-01-31', 0.5), 'n must be an integer, got 0.5'],
    ['eligibility: past year 9999', () => addMonths('9999-12-01', 1), 'year 10000 is outside 0000–9999'],
    ['eligibility: before year 0', () => addDays('0000-01-01', -1), 'year -1 is outside 0000–9999'],
    [
      'eligibility: not a move',
      () =>
        checkEligibility({
          kind: 'promotion' as 'rotation',
          person,
          toRole: 'staff',
          effectiveDate: '2026-07-01',
          onDate: '2026-06-01',
        }),
      "'promotion' is not a move kind",
    ],
    [
      'eligibility: a waiver without a note',
      () =>
        checkEligibility({
          kind: 'transfer',
          person,
          toRole: 'staff',
          effectiveDate: '2026-07-01',
          onDate: '2026-06-01',
          waivers: [{ rule: 'deferral:study', note: ' ' }],
        }),
      "the waiver of 'deferral:study' needs a note saying why",
    ],
    ['scope: an unknown unit', () => topUnitOf(dir, 'nope'), "unknown unit 'nope'"],
    ['scope: a parent cycle', () => topUnitOf(dir, 'x'), "parent cycle through unit 'x'"],
    ['scope: an unknown person', () => reviewerOf(dir, 'nobody'), "unknown person 'nobody'"],
    ['parties: an unknown person', () => partiesOf(dir, 'nobody', null), "unknown person 'nobody'"],
    ['quota: a negative count', () => allowedA(-1, false), 'rated must be a non-negative integer, got -1'],
    ['scoring: not a period', () => profileFor('2026-13'), "period must be YYYY-MM, got '2026-13'"],
    ['scoring: before any profile', () => profileFor('2017-12'), 'no scoring profile in force for 2017-12'],
    [
      'scoring: a profile missing',
      () => profileFor('2026-01', [{ profileId: 'HN-1999', from: '2018-01' }]),
      "scoring profile 'HN-1999' is not defined",
    ],
    [
      'scoring: invalid scores',
      () => totalOf(HN_2023, { discipline: 21, tasks: 0, bonus: 0, extra: 1 }),
      'invalid scores: scores.discipline range, scores.extra unknown',
    ],
    [
      'scoring: negative points',
      () =>
        taskItemPoints(
          [
            { quality: 1, timeliness: 1, failedChecks: 0, delays: 0 },
            { quality: 1, timeliness: -1, failedChecks: 0, delays: 0 },
          ],
          ND335_2025.taskItems!,
        ),
      'items[1]: points must be non-negative numbers',
    ],
    [
      'scoring: a fractional delay',
      () => taskItemPoints([{ quality: 1, timeliness: 1, failedChecks: 0, delays: 0.5 }], ND335_2025.taskItems!),
      'items[0]: failedChecks and delays must be non-negative integers',
    ],
    ['scoring: not a grade', () => gradeAtMost('E' as Grade, 'A'), "unknown grade 'E'"],
    [
      'triggers: not a period',
      () => replacementTriggers(record({ monthly: [{ period: '2026-13', grade: 'D' }] })),
      "period must be YYYY-MM, got '2026-13'",
    ],
    [
      'triggers: a fractional year',
      () => replacementTriggers(record({ annual: [{ year: 2025.5, grade: 'D' }] })),
      'year must be an integer, got 2025.5',
    ],
    [
      'triggers: a year twice',
      () =>
        replacementTriggers(
          record({
            annual: [
              { year: 2025, grade: 'D' },
              { year: 2025, grade: 'C' },
            ],
          }),
        ),
      'year 2025 appears more than once',
    ],
    [
      'triggers: a month twice',
      () =>
        replacementTriggers(
          record({
            monthly: [
              { period: '2026-01', grade: 'D' },
              { period: '2026-01', grade: 'C' },
            ],
          }),
        ),
      'month 2026-01 appears more than once',
    ],
    [
      'triggers: an impossible vote',
      () => replacementTriggers(record({ confidenceVotes: [{ date: '2026-04-01', low: 16, total: 15 }] })),
      'confidence vote of 2026-04-01: low 16 of total 15 is impossible',
    ],
    [
      'triggers: a share above 1',
      () => replacementTriggers(record({ unitTargetShare: 1.2 })),
      'unit target share must be 0–1, got 1.2',
    ],
    [
      'triggers: a term of 0 months',
      () => endOfTermReviewDate('2026-01-01', 0),
      'termMonths must be a positive integer, got 0',
    ],
    [
      'votes: no members',
      () => tallyVotes({ members: [], chairId: null, votes: [] }),
      'a vote needs at least one member',
    ],
    [
      'votes: a chair outside',
      () => tallyVotes({ members: ['a'], chairId: 'z', votes: [] }),
      "the chair 'z' is not a member of the collective",
    ],
    [
      'votes: a ballot from outside',
      () => tallyVotes({ members: ['a'], chairId: null, votes: [{ voterId: 'z', vote: 'approve' }] }),
      "'z' is not a member of the collective",
    ],
    [
      'votes: a second ballot',
      () =>
        tallyVotes({
          members: ['a', 'b'],
          chairId: null,
          votes: [
            { voterId: 'a', vote: 'approve' },
            { voterId: 'a', vote: 'reject' },
          ],
        }),
      "'a' has already voted",
    ],
    [
      'votes: not a vote',
      () => tallyVotes({ members: ['a'], chairId: null, votes: [{ voterId: 'a', vote: 'abstain' as 'approve' }] }),
      "'abstain' is not a vote",
    ],
    [
      'caps: negative working days',
      () => capsFor({ ...caps, workingDaysInMonth: -1 }),
      'leaveWorkingDays and workingDaysInMonth must be non-negative numbers',
    ],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(new RangeError(message));
  });
});

describe('just inside each refusal', () => {
  it('accepts the edges of the ranges', () => {
    expect(atLocal('2026-12-03', 23, 59)).toBe('2026-12-03T23:59:00+07:00');
    expect(addMonths('9999-11-30', 1)).toBe('9999-12-30');
    expect(addDays('0000-01-02', -1)).toBe('0000-01-01');
    expect(addMonths('2100-01-31', 1)).toBe('2100-02-28');
    expect(addMonths('2000-01-31', 1)).toBe('2000-02-29');
    expect(addMonths('2104-01-31', 1)).toBe('2104-02-29');
    expect(monthsBetween('2000-02-29', '2001-02-28')).toBe(12);
    expect(endOfTermReviewDate('2026-03-01', 1)).toBe('2026-01-31');
    expect(capsFor({ ...caps, workingDaysInMonth: 0 })).toEqual([]);
    expect(
      replacementTriggers(record({ confidenceVotes: [{ date: '2026-04-01', low: 1, total: 1 }] })).map((t) => t.rule),
    ).toEqual(['low-confidence']);
  });
});

describe('actors and errors', () => {
  it('says why an id is reserved', () => {
    expect(reservedIdIssues([{ id: 'ok' }, { id: 'hr' }])).toEqual([
      { field: 'people.1.id', rule: 'reserved', message: "'hr' is reserved for the engine's own actors" },
    ]);
  });

  it('takes only a string for an error type read back', () => {
    expect(isErrorTypeName(['bad_input'])).toBe(false);
    expect(isErrorTypeName({ toString: () => 'not_found' })).toBe(false);
  });

  it('a DomainError names itself, and the refused-data failure type is the one alerts match', () => {
    const e = new DomainError(ErrorType.NotFound, 'no such case');
    expect(e.name).toBe('DomainError');
    expect(String(e)).toBe('DomainError: no such case');
    expect(e.details).toBeUndefined();
    expect(DATA_REFUSED).toBe('DataRefused');
  });
});
