import { describe, expect, it } from 'vitest';
import type { VoteChoice } from '../../domain/cases';
import { DEFAULT_CASE_RULES } from '../../domain/cases';
import { DEFAULT_RULES } from '../../domain/config';
import {
  majorityOutcome,
  secretTally,
  tallyVotes,
  voteExtensionLatest,
  voteExtensionRefusal,
  type Ballot,
  type VoteTally,
  type VoteTotals,
} from '../../domain/votes';

// 'a:+ b:-' → a approves, b rejects.
const ballots = (spec: string): Ballot[] =>
  spec
    .split(' ')
    .filter((s) => s !== '')
    .map((s) => {
      const [voterId, sign] = s.split(':');
      return { voterId, vote: (sign === '+' ? 'approve' : 'reject') as VoteChoice };
    });

const FOUR = ['h', 'd1', 'd2', 'd3'];
const FIVE = ['h', 'd1', 'd2', 'd3', 'd4'];

describe('majorityOutcome', () => {
  it.each<[string, number, number, number, VoteChoice | undefined, VoteTotals['decided']]>([
    // [name, approve, reject, of, chair's side, outcome]
    ['more than half approve', 3, 0, 5, undefined, 'approved'],
    ['more than half reject', 1, 3, 5, undefined, 'rejected'],
    ['more than half of all members, not of voters', 2, 0, 5, undefined, null],
    ['a complete ballot decided by one vote', 3, 2, 5, undefined, 'approved'],
    ['a complete ballot, rejected', 2, 3, 5, undefined, 'rejected'],
    ['exactly half without the chair', 2, 2, 4, undefined, null],
    ['exactly half, the chair approves', 2, 2, 4, 'approve', 'approved'],
    ['exactly half, the chair rejects', 2, 2, 4, 'reject', 'rejected'],
    ['half approving with the chair, before everyone voted', 2, 0, 4, 'approve', 'approved'],
    ['half approving, the chair on the other side', 2, 1, 4, 'reject', null],
    ['half rejecting, the chair on the other side', 1, 2, 4, 'approve', null],
    ['the chair cannot decide an odd collective below the majority', 2, 2, 5, 'approve', null],
    ['a majority is not overturned by the chair', 3, 1, 4, 'reject', 'approved'],
    ['a collective of one', 1, 0, 1, undefined, 'approved'],
    ['no votes yet', 0, 0, 4, 'approve', null],
  ])('%s', (_name, approve, reject, of, chairSide, expected) => {
    expect(majorityOutcome({ approve, reject }, of, chairSide)).toBe(expected);
  });
});

describe('tallyVotes', () => {
  it.each<[string, string[], string | null, string, Omit<VoteTally, 'pending'>]>([
    ['majority approves', FIVE, 'h', 'd1:+ d2:+ d3:+', { approve: 3, reject: 0, of: 5, decided: 'approved' }],
    ['majority rejects', FIVE, 'h', 'd1:- d2:- h:-', { approve: 0, reject: 3, of: 5, decided: 'rejected' }],
    ['majority of all members, not of voters', FIVE, 'h', 'd1:+ d2:+', { approve: 2, reject: 0, of: 5, decided: null }],
    ['not yet decided, split', FIVE, 'h', 'd1:+ d2:+ d3:- d4:-', { approve: 2, reject: 2, of: 5, decided: null }],
    [
      'decided by the last vote',
      FIVE,
      'h',
      'd1:+ d2:+ d3:- d4:- h:+',
      { approve: 3, reject: 2, of: 5, decided: 'approved' },
    ],
    ['2-2, chair approves', FOUR, 'h', 'h:+ d1:+ d2:- d3:-', { approve: 2, reject: 2, of: 4, decided: 'approved' }],
    ['2-2, chair rejects', FOUR, 'h', 'h:- d1:- d2:+ d3:+', { approve: 2, reject: 2, of: 4, decided: 'rejected' }],
    [
      'half with the chair already decides',
      FOUR,
      'h',
      'h:+ d1:+',
      { approve: 2, reject: 0, of: 4, decided: 'approved' },
    ],
    ['half without the chair does not', FOUR, 'h', 'd1:+ d2:+', { approve: 2, reject: 0, of: 4, decided: null }],
    [
      'half rejecting without the chair does not',
      FOUR,
      'h',
      'd1:- d2:- h:+',
      { approve: 1, reject: 2, of: 4, decided: null },
    ],
    [
      '2-2 with the chair post vacant stays open',
      FOUR,
      null,
      'h:+ d1:+ d2:- d3:-',
      { approve: 2, reject: 2, of: 4, decided: null },
    ],
    ['a collective of one', ['h'], 'h', 'h:+', { approve: 1, reject: 0, of: 1, decided: 'approved' }],
    ['no votes yet', FOUR, 'h', '', { approve: 0, reject: 0, of: 4, decided: null }],
    [
      'a repeated member counts once',
      ['h', 'd1', 'd1'],
      'h',
      'd1:+ h:+',
      { approve: 2, reject: 0, of: 2, decided: 'approved' },
    ],
  ])('%s', (_name, members, chairId, spec, expected) => {
    const { pending: _pending, ...totals } = tallyVotes({ members, chairId, votes: ballots(spec) });
    expect(totals).toEqual(expected);
  });

  it('lists the members who have not voted, in member order', () => {
    expect(tallyVotes({ members: FIVE, chairId: 'h', votes: ballots('d3:+ h:-') }).pending).toEqual(['d1', 'd2', 'd4']);
    expect(tallyVotes({ members: FOUR, chairId: 'h', votes: ballots('h:+ d1:+ d2:- d3:-') }).pending).toEqual([]);
  });

  it.each<[string, string[], string | null, string]>([
    ['a duplicate voter', FOUR, 'h', 'd1:+ d1:+'],
    ['a voter changing their vote', FOUR, 'h', 'd1:+ d1:-'],
    ['a non-member', FOUR, 'h', 'd1:+ x:+'],
    ['a chair outside the collective', FOUR, 'x', 'd1:+'],
    ['no members', [], null, ''],
  ])('throws on %s', (_name, members, chairId, spec) => {
    expect(() => tallyVotes({ members, chairId, votes: ballots(spec) })).toThrow(RangeError);
  });

  it('throws on a ballot that is neither approve nor reject', () => {
    const votes = [{ voterId: 'd1', vote: 'abstain' as VoteChoice }];
    expect(() => tallyVotes({ members: FOUR, chairId: 'h', votes })).toThrow(RangeError);
  });
});

describe('secretTally', () => {
  it('keeps only the totals and the outcome', () => {
    const result = secretTally({ members: FOUR, chairId: 'h', votes: ballots('h:- d1:- d2:+ d3:+') });
    expect(result).toStrictEqual({ approve: 2, reject: 2, of: 4, decided: 'rejected' });
    expect(Object.keys(result).sort()).toEqual(['approve', 'decided', 'of', 'reject']);
  });

  it('decides like tallyVotes', () => {
    expect(secretTally({ members: FIVE, chairId: 'h', votes: ballots('d1:+ d2:+ d3:+') }).decided).toBe('approved');
    expect(secretTally({ members: FIVE, chairId: 'h', votes: ballots('d1:+ d2:+') }).decided).toBeNull();
  });

  it('validates like tallyVotes', () => {
    expect(() => secretTally({ members: FOUR, chairId: 'h', votes: ballots('d2:+ d2:+') })).toThrow(RangeError);
  });
});

describe('tallyVotes: the chair decides only an even split', () => {
  it('a chair who rejects with one other rejection of four leaves the vote open', () => {
    expect(tallyVotes({ members: FOUR, chairId: 'h', votes: ballots('h:- d1:+') }).decided).toBeNull();
    expect(tallyVotes({ members: FOUR, chairId: 'h', votes: ballots('h:+ d1:-') }).decided).toBeNull();
  });
});

describe('voteExtensionLatest: working day 15 from the opening of a replacement vote', () => {
  it.each<[string, string, string[], number, number, string]>([
    // [name, opened at, extra holidays, extended working days, deadline hour, latest]
    ['opened on a Monday', '2026-03-02T10:00:00+07:00', [], 15, 17, '2026-03-23T17:00:00+07:00'],
    ['opened on a Friday evening', '2026-03-06T18:30:00+07:00', [], 15, 17, '2026-03-27T17:00:00+07:00'],
    ['opened at a UTC instant of a Monday in Hanoi', '2026-03-01T20:00:00Z', [], 15, 17, '2026-03-23T17:00:00+07:00'],
    ['over the National Day (2 September)', '2026-08-20T09:00:00+07:00', [], 15, 17, '2026-09-11T17:00:00+07:00'],
    ['over an extra holiday', '2026-03-02T10:00:00+07:00', ['2026-03-10'], 15, 17, '2026-03-24T17:00:00+07:00'],
    ['with 12 working days configured', '2026-03-02T10:00:00+07:00', [], 12, 17, '2026-03-18T17:00:00+07:00'],
    ['with deadlines at 16:00', '2026-03-02T10:00:00+07:00', [], 15, 16, '2026-03-23T16:00:00+07:00'],
  ])('%s', (_name, openedAt, holidays, days, hour, latest) => {
    expect(
      voteExtensionLatest(
        openedAt,
        holidays,
        { replacementDecisionExtendedWorkingDays: days },
        { ...DEFAULT_RULES, deadlineHour: hour },
      ),
    ).toBe(latest);
  });

  it('refuses a malformed opening', () => {
    expect(() => voteExtensionLatest('2026-03-02', [], DEFAULT_CASE_RULES, DEFAULT_RULES)).toThrow(RangeError);
  });
});

describe('voteExtensionRefusal: no extension past that day, whenever it is decided', () => {
  const OPENED = '2026-03-02T10:00:00+07:00';
  const LATEST = '2026-03-23T17:00:00+07:00';

  it.each<[string, string, boolean]>([
    // [name, until, allowed]
    ['to the 10th working day', '2026-03-16T17:00:00+07:00', true],
    ['to the 15th working day at the deadline hour', LATEST, true],
    ['to the same instant written in UTC', '2026-03-23T10:00:00Z', true],
    ['one minute past it', '2026-03-23T17:01:00+07:00', false],
    ['to the morning of the 16th working day', '2026-03-24T09:00:00+07:00', false],
  ])('%s', (_name, until, allowed) => {
    const refusal = voteExtensionRefusal(OPENED, until, [], DEFAULT_CASE_RULES, DEFAULT_RULES);
    expect(refusal === null).toBe(allowed);
  });

  it('names the rule, the latest deadline, and the extension it refuses', () => {
    expect(voteExtensionRefusal(OPENED, '2026-03-24T09:00:00+07:00', [], DEFAULT_CASE_RULES, DEFAULT_RULES)).toEqual({
      rule: 'vote-extension-limit',
      latest: LATEST,
      message:
        "A replacement's vote may be extended to working day 15 after it opened (2026-03-02T10:00:00+07:00) at the " +
        'latest, 2026-03-23T17:00:00+07:00, whenever the extension is decided; 2026-03-24T09:00:00+07:00 is later.',
    });
  });

  it('counts the configured days and the holidays', () => {
    const day16 = '2026-03-24T17:00:00+07:00';
    expect(voteExtensionRefusal(OPENED, day16, [], DEFAULT_CASE_RULES, DEFAULT_RULES)).toMatchObject({
      latest: LATEST,
    });
    expect(voteExtensionRefusal(OPENED, day16, ['2026-03-10'], DEFAULT_CASE_RULES, DEFAULT_RULES)).toBeNull();
    expect(
      voteExtensionRefusal(OPENED, LATEST, [], { replacementDecisionExtendedWorkingDays: 14 }, DEFAULT_RULES),
    ).toMatchObject({ latest: '2026-03-20T17:00:00+07:00' });
  });
});
