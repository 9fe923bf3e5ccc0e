/**
 * What the case schemas tell the API's client: the field and the rule (the issue's `code` is
 * sent as `rule`), and a sentence; and what an invalid admin configuration says when it is
 * refused at load.
 */
import { describe, expect, it } from 'vitest';
import {
  CaseBodySchema,
  CaseVoteBodySchema,
  ConfidenceVoteBodySchema,
  DisciplineBodySchema,
  ExplanationBodySchema,
  OpinionBodySchema,
  ProposalBodySchema,
  VoteChoiceSchema,
  caseRulesWith,
} from '../../domain/case-schemas';
import { DEFAULT_CASE_RULES } from '../../domain/cases';
import { rulesWith } from '../../domain/config-validation';

type Parsed = { success: boolean; error?: { issues: { path: PropertyKey[]; code: string; message: string }[] } };
const issues = (r: Parsed) =>
  (r.error?.issues ?? []).map((i) => ({ field: i.path.join('.'), rule: i.code, message: i.message }));
const thrown = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return 'nothing thrown';
};

describe('caseRulesWith: the limits of a configuration, and what a refusal says', () => {
  it.each<[string, Parameters<typeof caseRulesWith>[0]]>([
    ['as many D months as the window is long', { triggers: { dMonthsIn12: 12 } }],
    ['overdue as soon as due', { positionChangeOverdueMonths: 24 }],
    ['an extension as long as the normal period', { replacementDecisionExtendedWorkingDays: 10 }],
  ])('accepts %s', (_name, overrides) => {
    expect(() => caseRulesWith(overrides)).not.toThrow();
  });

  it.each<[Parameters<typeof caseRulesWith>[0], string]>([
    [
      { triggers: { dMonthsIn12: 13 } },
      'invalid case rules configuration: triggers.dMonthsIn12: dMonthsIn12 cannot exceed the window length',
    ],
    [
      { positionChangeOverdueMonths: 23 },
      'invalid case rules configuration: positionChangeOverdueMonths: overdue cannot come before due',
    ],
    [
      { replacementDecisionExtendedWorkingDays: 9 },
      'invalid case rules configuration: replacementDecisionExtendedWorkingDays: the extended decision period cannot be shorter than the normal one',
    ],
    [
      { bogus: 1 } as unknown as Parameters<typeof caseRulesWith>[0],
      'invalid case rules configuration: (root): Unrecognized key: "bogus"',
    ],
  ])('%j → %s', (overrides, message) => {
    expect(thrown(() => caseRulesWith(overrides))).toBe(message);
  });

  it('names every problem at once', () => {
    expect(thrown(() => caseRulesWith({ opinionWorkingDays: 0, triggers: { unitTargetShare: 2 } }))).toBe(
      'invalid case rules configuration: opinionWorkingDays: Too small: expected number to be >=1; triggers.unitTargetShare: Too big: expected number to be <=1',
    );
    expect(caseRulesWith({})).toEqual(DEFAULT_CASE_RULES);
  });
});

describe('rulesWith: what a refusal says', () => {
  it.each<[Parameters<typeof rulesWith>[0], string]>([
    [{ quotaRate: 2 }, 'invalid rules configuration: quotaRate: Too big: expected number to be <=1'],
    [
      { defaultDueWorkingDay: { review: 0 } },
      'invalid rules configuration: defaultDueWorkingDay.review: Too small: expected number to be >=1',
    ],
    [
      { bogus: 1 } as unknown as Parameters<typeof rulesWith>[0],
      'invalid rules configuration: (root): Unrecognized key: "bogus"',
    ],
    [
      { quotaRate: -1, deadlineHour: 24 },
      'invalid rules configuration: quotaRate: Too small: expected number to be >=0; deadlineHour: Too big: expected number to be <=23',
    ],
  ])('%j → %s', (overrides, message) => {
    expect(thrown(() => rulesWith(overrides))).toBe(message);
  });
});

describe('case body schemas: fields, rules and sentences', () => {
  const rotation = {
    kind: 'rotation',
    personId: 'p1',
    toUnitId: 'u2',
    toRole: 'deputy',
    effectiveDate: '2026-07-01',
    termMonths: 36,
  };

  it.each<[string, unknown, { field: string; rule: string; message: string }[]]>([
    [
      'rotation with a null term',
      { ...rotation, termMonths: null },
      [{ field: 'termMonths', rule: 'custom', message: 'a rotation needs a term in months' }],
    ],
    [
      'replace without an acting holder',
      { recommendation: 'replace' },
      [{ field: 'actingPersonId', rule: 'custom', message: 'a replacement needs an acting holder' }],
    ],
    [
      'keep with a blank note',
      { recommendation: 'keep', note: ' \n ' },
      [{ field: 'note', rule: 'custom', message: 'keeping the leader needs a rationale' }],
    ],
  ])('%s', (_name, body, expected) => {
    const schema = 'kind' in (body as object) ? CaseBodySchema : ProposalBodySchema;
    expect(issues(schema.safeParse(body))).toEqual(expected);
  });

  it('keeps a one-word rationale, and a multi-line one', () => {
    expect(ProposalBodySchema.safeParse({ recommendation: 'keep', note: 'Improved' }).success).toBe(true);
    expect(ProposalBodySchema.parse({ recommendation: 'keep', note: 'Improved.\nTargets met.' }).note).toBe(
      'Improved.\nTargets met.',
    );
  });

  it('says why low cannot exceed total', () => {
    expect(issues(ConfidenceVoteBodySchema.safeParse({ date: '2026-04-01', low: 16, total: 15 }))).toEqual([
      { field: 'low', rule: 'custom', message: 'low cannot exceed total' },
    ]);
  });

  it.each(['reprimand', 'warning', 'demotion', 'dismissal'])('accepts the discipline level %s', (level) => {
    expect(DisciplineBodySchema.parse({ date: '2026-04-01', level })).toEqual({ date: '2026-04-01', level });
  });

  it.each<[unknown, boolean]>([
    [{ opinion: 'agree' }, true],
    [{ opinion: 'disagree', note: '' }, true],
    [{ opinion: 'disagree', note: 'Line one.\nLine two.' }, true],
    [{ opinion: 'maybe' }, false],
    [{}, false],
  ])('opinion %j → %s', (body, valid) => {
    expect(OpinionBodySchema.safeParse(body).success).toBe(valid);
  });

  it('keeps what an opinion says', () => {
    expect(OpinionBodySchema.parse({ opinion: 'disagree', note: '  needed here  ' })).toEqual({
      opinion: 'disagree',
      note: 'needed here',
    });
  });

  it.each<[unknown, boolean]>([
    ['approve', true],
    ['reject', true],
    ['abstain', false],
    ['', false],
  ])('vote choice %j → %s', (vote, valid) => {
    expect(VoteChoiceSchema.safeParse(vote).success).toBe(valid);
    expect(CaseVoteBodySchema.safeParse({ vote }).success).toBe(valid);
  });

  it('a vote body and an explanation keep their field', () => {
    expect(CaseVoteBodySchema.parse({ vote: 'reject' })).toEqual({ vote: 'reject' });
    expect(CaseVoteBodySchema.safeParse({}).success).toBe(false);
    expect(ExplanationBodySchema.parse({ text: 'Targets missed:\n\tthe flood.' })).toEqual({
      text: 'Targets missed:\n\tthe flood.',
    });
    expect(ExplanationBodySchema.safeParse({ text: '  ' }).success).toBe(false);
    expect(ExplanationBodySchema.safeParse({}).success).toBe(false);
  });
});
