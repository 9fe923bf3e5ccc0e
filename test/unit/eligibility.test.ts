import { describe, expect, it } from 'vitest';
import {
  CaseBodySchema,
  ConfidenceVoteBodySchema,
  DisciplineBodySchema,
  PersonWithCaseFieldsSchema,
  ProposalBodySchema,
  caseRulesWith,
} from '../../domain/case-schemas';
import {
  DEFAULT_CASE_RULES,
  DEFERRAL_REASONS,
  type CaseRules,
  type Deferral,
  type MoveKind,
  type PersonRecord,
  type Waiver,
} from '../../domain/cases';
import { addDays, addMonths, checkEligibility, monthsBetween, type EligibilityInput } from '../../domain/eligibility';

const person = (over: Partial<PersonRecord> = {}): PersonRecord => ({
  id: 'p1',
  unitId: 'u1',
  role: 'staff',
  retirementDate: null,
  positionSince: null,
  sensitivePosition: false,
  deferrals: [],
  ...over,
});

// A transfer effective 2014-07-01, opened a month earlier; 18 months later is 2016-01-01.
const move = (over: Partial<EligibilityInput> = {}, who: Partial<PersonRecord> = {}): EligibilityInput => ({
  kind: 'transfer',
  person: person(who),
  toRole: 'staff',
  effectiveDate: '2014-07-01',
  termMonths: null,
  waivers: [],
  onDate: '2014-06-01',
  ...over,
});
const rotation = (over: Partial<EligibilityInput> = {}, who: Partial<PersonRecord> = {}): EligibilityInput =>
  move({ kind: 'rotation', termMonths: 36, ...over }, who);
const deferral = (reason: Deferral['reason'], until: string): Deferral => ({ reason, until });
const waiver = (rule: string, note = 'moves at their own request, letter of 2014-05-20'): Waiver => ({ rule, note });

describe('addMonths', () => {
  it.each<[string, number, string]>([
    ['2014-07-01', 18, '2016-01-01'],
    ['2014-12-15', 1, '2015-01-15'],
    ['2014-01-15', -1, '2013-12-15'],
    ['2014-05-10', 0, '2014-05-10'],
    ['2012-01-31', 1, '2012-02-29'], // clamped, leap year
    ['2013-01-31', 1, '2013-02-28'], // clamped
    ['2014-03-31', -1, '2014-02-28'],
    ['2014-08-31', 1, '2014-09-30'],
    ['2012-02-29', 12, '2013-02-28'],
    ['2014-01-31', 120, '2024-01-31'],
  ])('%s + %i months = %s', (date, n, expected) => {
    expect(addMonths(date, n)).toBe(expected);
  });

  it.each<[string, number]>([
    ['2014-02-30', 1],
    ['2014-13-01', 1],
    ['26-01-01', 1],
    ['2026-1-1', 1],
    ['2014-01-01', 1.5],
  ])('rejects %s + %s', (date, n) => {
    expect(() => addMonths(date, n)).toThrow(RangeError);
  });
});

describe('monthsBetween', () => {
  it.each<[string, string, number]>([
    ['2014-01-15', '2014-02-15', 1],
    ['2014-01-15', '2014-02-14', 0],
    ['2014-07-01', '2016-01-01', 18],
    ['2014-07-01', '2015-12-31', 17],
    ['2014-07-01', '2015-12-30', 17], // 17 months and 29 days
    ['2012-01-31', '2012-02-29', 1], // end-of-month clamping counts as a full month
    ['2012-01-31', '2012-02-28', 0],
    ['2014-03-15', '2014-03-15', 0],
    ['2014-03-15', '2014-03-10', -1], // floor, not truncation
    ['2014-03-15', '2014-02-15', -1],
    ['2014-03-15', '2014-02-14', -2],
    ['2014-07-01', '2024-07-01', 120],
    ['2014-07-01', '2024-06-30', 119],
  ])('%s → %s = %i', (a, b, expected) => {
    expect(monthsBetween(a, b)).toBe(expected);
  });

  it('inverts addMonths, and one day less is one month less', () => {
    for (const a of ['2012-01-31', '2012-02-29', '2013-08-30', '2014-03-01', '2014-12-31']) {
      for (let n = -30; n <= 30; n += 1) {
        const b = addMonths(a, n);
        expect(monthsBetween(a, b)).toBe(n);
        expect(monthsBetween(a, addDays(b, -1))).toBe(n - 1);
      }
    }
  });

  it('rejects an impossible date', () => {
    expect(() => monthsBetween('2014-02-29', '2014-03-01')).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it.each<[string, number, string]>([
    ['2014-12-31', 1, '2015-01-01'],
    ['2012-02-28', 1, '2012-02-29'],
    ['2013-02-28', 1, '2013-03-01'],
    ['1988-02-28', 1, '1988-02-29'],
    ['1900-02-28', 1, '1900-03-01'],
    ['2014-03-01', -1, '2014-02-28'],
    ['2014-01-01', 365, '2015-01-01'],
    ['2016-01-01', 366, '2017-01-01'],
    ['2017-01-01', -60, '2016-11-02'],
    ['2014-06-15', 0, '2014-06-15'],
  ])('%s + %i days = %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it('agrees with the UTC calendar over several years', () => {
    const start = Date.UTC(2023, 0, 1);
    for (let n = -400; n <= 2000; n += 7) {
      expect(addDays('2023-01-01', n)).toBe(new Date(start + n * 86_400_000).toISOString().slice(0, 10));
    }
  });

  it('rejects a non-integer offset and an impossible date', () => {
    expect(() => addDays('2014-01-01', 0.5)).toThrow(RangeError);
    expect(() => addDays('2013-02-29', 1)).toThrow(RangeError);
  });
});

describe('checkEligibility', () => {
  it('passes a plain move', () => {
    expect(checkEligibility(move())).toEqual({ ok: true, failures: [], waived: [], issues: [] });
  });

  describe('retirement-within-18-months', () => {
    it.each<[string, string | null, string[]]>([
      ['no retirement date recorded', null, []],
      ['exactly 18 months left', '2016-01-01', []],
      ['18 months and more', '2018-05-20', []],
      ['one day short of 18 months', '2015-12-31', ['retirement-within-18-months']],
      ['17 months and 29 days', '2015-12-30', ['retirement-within-18-months']],
      ['already retired', '2014-01-01', ['retirement-within-18-months']],
    ])('%s', (_name, retirementDate, failures) => {
      const result = checkEligibility(move({}, { retirementDate }));
      expect(result.failures).toEqual(failures);
      expect(result.ok).toBe(failures.length === 0);
    });

    it.each<MoveKind>(['rotation', 'transfer', 'position-change'])('applies to a %s', (kind) => {
      const result = checkEligibility(move({ kind, termMonths: 36 }, { retirementDate: '2015-12-31' }));
      expect(result.failures).toEqual(['retirement-within-18-months']);
    });

    it('respects end-of-month clamping', () => {
      // 2014-08-31 + 18 months = 2016-02-29.
      expect(checkEligibility(move({ effectiveDate: '2014-08-31' }, { retirementDate: '2016-02-29' })).ok).toBe(true);
      expect(checkEligibility(move({ effectiveDate: '2014-08-31' }, { retirementDate: '2016-02-28' })).ok).toBe(false);
    });

    it('counts from the check date when the effective date has passed', () => {
      const backdated = move({ effectiveDate: '2014-01-01', onDate: '2014-07-01' }, { retirementDate: '2015-12-31' });
      expect(checkEligibility(backdated).failures).toEqual(['retirement-within-18-months']);
      const onTime = move({ effectiveDate: '2014-01-01', onDate: '2013-12-01' }, { retirementDate: '2015-12-31' });
      expect(checkEligibility(onTime).ok).toBe(true);
    });

    it('follows a configured number but keeps the rule name', () => {
      const rules = caseRulesWith({ retirementNoPositionChangeMonths: 24 });
      const result = checkEligibility(move({}, { retirementDate: '2016-01-01' }), rules);
      expect(result.failures).toEqual(['retirement-within-18-months']);
      expect(result.issues[0].message).toContain('24 months');
    });
  });

  describe('deferrals', () => {
    it.each<[string, Deferral[], string[]]>([
      ['in force past the effective date', [deferral('pregnancy', '2014-09-30')], ['deferral:pregnancy']],
      ['ending on the effective date', [deferral('study', '2014-07-01')], ['deferral:study']],
      ['ended the day before', [deferral('study', '2014-06-30')], []],
      [
        'two reasons, in record order',
        [deferral('investigation', '2015-01-01'), deferral('child-under-36-months', '2016-03-01')],
        ['deferral:investigation', 'deferral:child-under-36-months'],
      ],
      [
        'one reason recorded twice is named once',
        [deferral('serious-illness', '2014-08-01'), deferral('serious-illness', '2014-12-01')],
        ['deferral:serious-illness'],
      ],
      [
        'one active, one ended',
        [deferral('secondment', '2014-01-01'), deferral('disciplinary-review', '2014-07-15')],
        ['deferral:disciplinary-review'],
      ],
    ])('%s', (_name, deferrals, failures) => {
      const result = checkEligibility(move({}, { deferrals }));
      expect(result.failures).toEqual(failures);
      expect(result.ok).toBe(failures.length === 0);
    });

    it.each(DEFERRAL_REASONS)('names deferral:%s', (reason) => {
      expect(checkEligibility(move({}, { deferrals: [deferral(reason, '2015-01-01')] })).failures).toEqual([
        `deferral:${reason}`,
      ]);
    });

    it('checks the check date when the effective date has passed', () => {
      const who = { deferrals: [deferral('pregnancy', '2014-05-15')] };
      expect(checkEligibility(move({ effectiveDate: '2014-05-01', onDate: '2014-06-01' }, who)).ok).toBe(true);
      expect(checkEligibility(move({ effectiveDate: '2014-05-01', onDate: '2014-05-10' }, who)).failures).toEqual([
        'deferral:pregnancy',
      ]);
    });
  });

  describe('waivers', () => {
    const pregnant = { deferrals: [deferral('pregnancy', '2014-12-31')] };

    it('a waived deferral passes and the waiver is recorded', () => {
      const w = waiver('deferral:pregnancy');
      const result = checkEligibility(move({ waivers: [w] }, pregnant));
      expect(result).toEqual({ ok: true, failures: [], waived: [w], issues: [] });
    });

    it('waives only the deferral it names', () => {
      const who = { deferrals: [deferral('pregnancy', '2014-12-31'), deferral('study', '2015-06-30')] };
      const result = checkEligibility(move({ waivers: [waiver('deferral:pregnancy')] }, who));
      expect(result.failures).toEqual(['deferral:study']);
      expect(result.waived.map((w) => w.rule)).toEqual(['deferral:pregnancy']);
    });

    it('records one waiver per rule', () => {
      const result = checkEligibility(
        move({ waivers: [waiver('deferral:pregnancy', 'first'), waiver('deferral:pregnancy', 'second')] }, pregnant),
      );
      expect(result.ok).toBe(true);
      expect(result.waived).toEqual([{ rule: 'deferral:pregnancy', note: 'first' }]);
    });

    it('ignores, and does not record, a waiver of a deferral not in force', () => {
      const result = checkEligibility(move({ waivers: [waiver('deferral:study')] }, pregnant));
      expect(result.failures).toEqual(['deferral:pregnancy']);
      expect(result.waived).toEqual([]);
    });

    it.each<[string, string, Partial<EligibilityInput>, Partial<PersonRecord>, string[]]>([
      [
        'retirement cannot be waived',
        'retirement-within-18-months',
        {},
        { retirementDate: '2015-06-30' },
        ['retirement-within-18-months', 'waiver-not-allowed:retirement-within-18-months'],
      ],
      [
        'leader service cannot be waived',
        'leader-service-years',
        { kind: 'rotation', termMonths: 36, toRole: 'head' },
        { retirementDate: '2018-01-01' },
        ['leader-service-years', 'waiver-not-allowed:leader-service-years'],
      ],
      [
        'term cannot be waived',
        'term-too-short',
        { kind: 'rotation', termMonths: 24 },
        {},
        ['term-too-short', 'waiver-not-allowed:term-too-short'],
      ],
      [
        'asking to waive an unwaivable rule is refused even when it holds',
        'term-too-short',
        {},
        {},
        ['waiver-not-allowed:term-too-short'],
      ],
      [
        'the bare reason is not the rule name',
        'pregnancy',
        {},
        pregnant,
        ['deferral:pregnancy', 'waiver-not-allowed:pregnancy'],
      ],
      [
        'an unknown deferral reason is not waivable',
        'deferral:holiday',
        {},
        {},
        ['waiver-not-allowed:deferral:holiday'],
      ],
    ])('%s', (_name, rule, over, who, failures) => {
      const result = checkEligibility(move({ ...over, waivers: [waiver(rule)] }, who));
      expect(result.ok).toBe(false);
      expect(result.failures).toEqual(failures);
      expect(result.waived).toEqual([]);
    });

    it('rejects a waiver without a note', () => {
      expect(() => checkEligibility(move({ waivers: [waiver('deferral:pregnancy', '  ')] }, pregnant))).toThrow(
        RangeError,
      );
    });
  });

  describe('leader-service-years', () => {
    it.each<[string, Partial<EligibilityInput>, string | null, string[]]>([
      ['rotation to head, exactly 10 years left', { toRole: 'head' }, '2024-07-01', []],
      ['rotation to head, one day short of 10 years', { toRole: 'head' }, '2024-06-30', ['leader-service-years']],
      ['rotation to deputy, 9 years left', { toRole: 'deputy' }, '2023-07-01', ['leader-service-years']],
      ['rotation to head, retirement unknown', { toRole: 'head' }, null, []],
      ['rotation to staff, 9 years left', { toRole: 'staff' }, '2023-07-01', []],
      ['transfer to head, 9 years left', { kind: 'transfer', toRole: 'head' }, '2023-07-01', []],
      ['position change to deputy, 9 years left', { kind: 'position-change', toRole: 'deputy' }, '2023-07-01', []],
      [
        'rotation to head, 1 year left: both rules',
        { toRole: 'head' },
        '2015-07-01',
        ['retirement-within-18-months', 'leader-service-years'],
      ],
    ])('%s', (_name, over, retirementDate, failures) => {
      expect(checkEligibility(rotation(over, { retirementDate })).failures).toEqual(failures);
    });

    it('follows a configured number of years', () => {
      const input = rotation({ toRole: 'head' }, { retirementDate: '2023-07-01' });
      expect(checkEligibility(input, caseRulesWith({ leaderRotationMinServiceYearsLeft: 9 })).ok).toBe(true);
      expect(checkEligibility(input).ok).toBe(false);
    });
  });

  describe('term-too-short', () => {
    it.each<[string, Partial<EligibilityInput>, string[]]>([
      ['rotation of 36 months', { termMonths: 36 }, []],
      ['rotation of 60 months', { termMonths: 60 }, []],
      ['rotation of 35 months', { termMonths: 35 }, ['term-too-short']],
      ['rotation without a term', { termMonths: null }, ['term-too-short']],
      ['rotation with the term left out', { termMonths: undefined }, ['term-too-short']],
      ['transfer of 12 months', { kind: 'transfer', termMonths: 12 }, []],
      ['position change without a term', { kind: 'position-change', termMonths: null }, []],
    ])('%s', (_name, over, failures) => {
      expect(checkEligibility(rotation(over)).failures).toEqual(failures);
    });

    it('follows a configured minimum', () => {
      expect(checkEligibility(rotation({ termMonths: 24 }), caseRulesWith({ minRotationTermMonths: 24 })).ok).toBe(
        true,
      );
    });
  });

  it('names every failure at once, in order, with the field concerned', () => {
    const result = checkEligibility(
      rotation(
        { toRole: 'deputy', termMonths: 12, waivers: [waiver('term-too-short')] },
        { retirementDate: '2015-01-01', deferrals: [deferral('study', '2014-12-31')] },
      ),
    );
    expect(result.failures).toEqual([
      'retirement-within-18-months',
      'deferral:study',
      'leader-service-years',
      'term-too-short',
      'waiver-not-allowed:term-too-short',
    ]);
    expect(result.issues.map((i) => i.field)).toEqual([
      'effectiveDate',
      'personId',
      'toRole',
      'termMonths',
      'waivers.0.rule',
    ]);
    for (const issue of result.issues) expect(issue.message).toMatch(/\w{3,}/);
  });

  it.each<[string, Partial<EligibilityInput>, Partial<PersonRecord>]>([
    ['a malformed effective date', { effectiveDate: '2026-7-1' }, {}],
    ['an impossible check date', { onDate: '2014-02-30' }, {}],
    ['a malformed retirement date', {}, { retirementDate: '2018/01/01' }],
    ['a malformed deferral date', {}, { deferrals: [deferral('study', '2014-13-01')] }],
    ['a replacement', { kind: 'replacement' as MoveKind }, {}],
  ])('throws on %s', (_name, over, who) => {
    expect(() => checkEligibility(move(over, who))).toThrow(RangeError);
  });
});

describe('DEFAULT_CASE_RULES', () => {
  it('carries the documented defaults', () => {
    expect(DEFAULT_CASE_RULES).toEqual({
      minRotationTermMonths: 36,
      maxSecondmentMonths: 36,
      retirementNoPositionChangeMonths: 18,
      leaderRotationMinServiceYearsLeft: 10,
      positionChangeDueMonths: 24,
      positionChangeOverdueMonths: 60,
      opinionWorkingDays: 5,
      moveDecisionWorkingDays: 10,
      handoverWorkingDays: 10,
      explanationWorkingDays: 10,
      proposalWorkingDays: 10,
      replacementDecisionWorkingDays: 10,
      replacementDecisionExtendedWorkingDays: 15,
      endOfTermReviewDaysBefore: 60,
      triggers: {
        consecutiveDYears: 2,
        consecutiveDMonths: 2,
        dMonthsIn12: 3,
        dMonthsWindowMonths: 12,
        lowConfidenceShare: 2 / 3,
        disciplinesInTerm: 2,
        unitTargetShare: 0.7,
      },
    });
  });

  it('cannot be mutated', () => {
    expect(Object.isFrozen(DEFAULT_CASE_RULES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CASE_RULES.triggers)).toBe(true);
  });
});

describe('caseRulesWith', () => {
  it('overrides and merges the trigger thresholds', () => {
    const r = caseRulesWith({ handoverWorkingDays: 15, triggers: { dMonthsIn12: 4 } });
    expect(r.handoverWorkingDays).toBe(15);
    expect(r.opinionWorkingDays).toBe(5);
    expect(r.triggers).toEqual({ ...DEFAULT_CASE_RULES.triggers, dMonthsIn12: 4 });
    expect(DEFAULT_CASE_RULES.triggers.dMonthsIn12).toBe(3);
  });

  it.each<[string, Parameters<typeof caseRulesWith>[0]]>([
    ['fractional months', { minRotationTermMonths: 35.5 }],
    ['zero working days', { opinionWorkingDays: 0 }],
    ['share above 1', { triggers: { unitTargetShare: 1.2 } }],
    ['overdue before due', { positionChangeOverdueMonths: 12 }],
    ['extension shorter than the period', { replacementDecisionExtendedWorkingDays: 5 }],
    ['more D months than the window', { triggers: { dMonthsIn12: 13 } }],
    ['unknown key', { bogus: 1 } as unknown as Partial<CaseRules>],
    ['unknown trigger key', { triggers: { bogus: 1 } } as unknown as Parameters<typeof caseRulesWith>[0]],
  ])('rejects %s', (_name, overrides) => {
    expect(() => caseRulesWith(overrides)).toThrow(RangeError);
  });
});

describe('case body schemas', () => {
  const moveBody = {
    kind: 'rotation',
    personId: 'p1',
    toUnitId: 'u2',
    toRole: 'deputy',
    effectiveDate: '2014-07-01',
    termMonths: 36,
    reason: 'strengthen the ward',
  };
  const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] =>
    (r.error?.issues ?? []).map((i) => i.path.join('.'));

  it('accepts a move and defaults waivers to none', () => {
    const parsed = CaseBodySchema.parse(moveBody);
    expect(parsed).toEqual({ ...moveBody, waivers: [] });
  });

  it('accepts a transfer without a term and a replacement with a reason', () => {
    expect(CaseBodySchema.safeParse({ ...moveBody, kind: 'transfer', termMonths: undefined }).success).toBe(true);
    expect(CaseBodySchema.parse({ kind: 'replacement', personId: 'p1', reason: 'D two months running' })).toEqual({
      kind: 'replacement',
      personId: 'p1',
      reason: 'D two months running',
    });
  });

  it.each<[string, unknown, string[]]>([
    ['rotation without a term', { ...moveBody, termMonths: undefined }, ['termMonths']],
    ['bad date', { ...moveBody, effectiveDate: '2026-7-1' }, ['effectiveDate']],
    ['bad role', { ...moveBody, toRole: 'chief' }, ['toRole']],
    ['waiver without a note', { ...moveBody, waivers: [{ rule: 'deferral:study', note: ' ' }] }, ['waivers.0.note']],
    ['unknown kind', { ...moveBody, kind: 'promotion' }, ['kind']],
    ['replacement without a reason', { kind: 'replacement', personId: 'p1' }, ['reason']],
    ['replacement with a blank reason', { kind: 'replacement', personId: 'p1', reason: '  ' }, ['reason']],
  ])('rejects %s', (_name, body, expected) => {
    expect(paths(CaseBodySchema.safeParse(body))).toEqual(expected);
  });

  it('validates the case fields of a directory person', () => {
    const base = { id: 'p1', fullName: 'Nguyễn Văn A', unitId: 'u1', role: 'staff' };
    expect(PersonWithCaseFieldsSchema.safeParse(base).success).toBe(true);
    expect(
      PersonWithCaseFieldsSchema.safeParse({
        ...base,
        retirementDate: '2025-01-01',
        positionSince: null,
        sensitivePosition: true,
        deferrals: [{ reason: 'child-under-36-months', until: '2015-03-01' }],
      }).success,
    ).toBe(true);
    expect(
      paths(PersonWithCaseFieldsSchema.safeParse({ ...base, deferrals: [{ reason: 'holiday', until: '2015-03-01' }] })),
    ).toEqual(['deferrals.0.reason']);
    expect(paths(PersonWithCaseFieldsSchema.safeParse({ ...base, sensitivePosition: 'yes' }))).toEqual([
      'sensitivePosition',
    ]);
  });

  it.each<[string, unknown, string[]]>([
    ['replace with an acting holder', { recommendation: 'replace', actingPersonId: 'p9' }, []],
    ['replace without an acting holder', { recommendation: 'replace', note: 'x' }, ['actingPersonId']],
    ['keep with a rationale', { recommendation: 'keep', note: 'improved since' }, []],
    ['keep without a rationale', { recommendation: 'keep' }, ['note']],
  ])('proposal: %s', (_name, body, expected) => {
    expect(paths(ProposalBodySchema.safeParse(body))).toEqual(expected);
  });

  it.each<[string, unknown, string[]]>([
    ['a vote', { date: '2014-04-01', low: 12, total: 15 }, []],
    ['low above total', { date: '2014-04-01', low: 16, total: 15 }, ['low']],
    ['no ballots', { date: '2014-04-01', low: 0, total: 0 }, ['total']],
    ['fractional count', { date: '2014-04-01', low: 1.5, total: 15 }, ['low']],
  ])('confidence vote: %s', (_name, body, expected) => {
    expect(paths(ConfidenceVoteBodySchema.safeParse(body))).toEqual(expected);
  });

  it.each<[string, unknown, string[]]>([
    ['a reprimand', { date: '2014-04-01', level: 'reprimand', note: 'late reports' }, []],
    ['an unknown level', { date: '2014-04-01', level: 'fine' }, ['level']],
    ['a bad date', { date: '01/04/2026', level: 'warning' }, ['date']],
  ])('discipline: %s', (_name, body, expected) => {
    expect(paths(DisciplineBodySchema.safeParse(body))).toEqual(expected);
  });
});

describe('checkEligibility: what each failure says', () => {
  const messages = (input: EligibilityInput) => checkEligibility(input).issues.map((i) => i.message);

  it('a move without any waiver given', () => {
    const { waivers: _none, ...input } = move();
    expect(checkEligibility(input)).toEqual({ ok: true, failures: [], waived: [], issues: [] });
  });

  it.each<[string, EligibilityInput, string[]]>([
    [
      'retirement close',
      move({}, { retirementDate: '2015-05-01' }),
      [
        'p1 retires on 2015-05-01, 10 whole months after the move on 2014-07-01: no move with fewer than 18 months to retirement',
      ],
    ],
    [
      'retirement past',
      move({}, { retirementDate: '2014-01-01' }),
      [
        'p1 retires on 2014-01-01, 0 whole months after the move on 2014-07-01: no move with fewer than 18 months to retirement',
      ],
    ],
    [
      'the later of two deferrals for one reason, listed first',
      move({}, { deferrals: [deferral('study', '2015-06-30'), deferral('study', '2014-12-31')] }),
      [
        "p1 is deferred (study) until 2015-06-30, past the move on 2014-07-01; it may be waived at the person's own wish",
      ],
    ],
    [
      'the later of two deferrals for one reason, listed second',
      move({}, { deferrals: [deferral('study', '2014-12-31'), deferral('study', '2015-06-30')] }),
      [
        "p1 is deferred (study) until 2015-06-30, past the move on 2014-07-01; it may be waived at the person's own wish",
      ],
    ],
    [
      'a leader rotation with eight years four months left',
      rotation({ toRole: 'head' }, { retirementDate: '2022-11-01' }),
      ['a rotation into a head post needs 10 years of service left; p1 has 8 years 4 months'],
    ],
    [
      'a leader rotation after retirement',
      rotation({ toRole: 'deputy' }, { retirementDate: '2014-03-01' }),
      [
        'p1 retires on 2014-03-01, 0 whole months after the move on 2014-07-01: no move with fewer than 18 months to retirement',
        'a rotation into a deputy post needs 10 years of service left; p1 has 0 years 0 months',
      ],
    ],
    [
      'a rotation without a term',
      rotation({ termMonths: null }),
      ['a rotation lasts at least 36 months; no term was given'],
    ],
    [
      'a rotation too short',
      rotation({ termMonths: 24 }),
      ['a rotation lasts at least 36 months; 24 months were given'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(messages(input)).toEqual(expected);
  });

  it.each(['x2026-07-01', '2014-07-011'])('refuses the date %s', (date) => {
    expect(() => checkEligibility(move({ effectiveDate: date }))).toThrow(
      new RangeError(`date must be YYYY-MM-DD, got '${date}'`),
    );
  });
});
