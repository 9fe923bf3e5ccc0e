import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, type RulesConfig } from '../../domain/config';
import { rulesWith } from '../../domain/config-validation';
import { DomainError, ErrorType, HTTP_STATUS, isErrorTypeName, type ErrorTypeName } from '../../domain/errors';

describe('DEFAULT_RULES', () => {
  it('carries the documented defaults', () => {
    expect(DEFAULT_RULES).toEqual({
      quotaRate: 0.3,
      outstandingQuotaRate: 0.4,
      minQuotaSlots: 1,
      disciplineCap: 'C',
      leaderTiedCap: 'B',
      absenceNotRatedShare: 0.5,
      maxExtensionWorkingDays: 5,
      escalationClimbWorkingDays: 2,
      reviewWorkingDaysAfterExtension: 2,
      complaintWindowWorkingDays: 3,
      complaintResolutionWorkingDays: 3,
      selfAssessmentOpensWorkingDaysBefore: 5,
      reminderWorkingDaysBefore: 2,
      reminderHour: 8,
      deadlineHour: 17,
      defaultDueWorkingDay: { plan: 3, selfAssessment: 2, review: 4, deliberation: 6 },
      annualMinRatedMonths: 6,
      annualAQuotaOfB: 0.2,
      talentAMonths: 10,
      talentWindowMonths: 12,
    });
  });

  it('cannot be mutated', () => {
    expect(Object.isFrozen(DEFAULT_RULES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RULES.defaultDueWorkingDay)).toBe(true);
  });
});

describe('rulesWith', () => {
  it('overrides and merges the due working days', () => {
    const r = rulesWith({ quotaRate: 0.25, defaultDueWorkingDay: { review: 5 } });
    expect(r.quotaRate).toBe(0.25);
    expect(r.outstandingQuotaRate).toBe(0.4);
    expect(r.defaultDueWorkingDay).toEqual({ plan: 3, selfAssessment: 2, review: 5, deliberation: 6 });
    expect(DEFAULT_RULES.quotaRate).toBe(0.3);
  });

  it.each<[string, Partial<RulesConfig>]>([
    ['share above 1', { quotaRate: 1.5 }],
    ['hour 24', { deadlineHour: 24 }],
    ['fractional days', { maxExtensionWorkingDays: 2.5 }],
    ['negative days', { reviewWorkingDaysAfterExtension: -1 }],
    ['unknown key', { bogus: 1 } as unknown as Partial<RulesConfig>],
    ['not a grade', { disciplineCap: 'E' } as unknown as Partial<RulesConfig>],
  ])('rejects %s', (_name, overrides) => {
    expect(() => rulesWith(overrides)).toThrow(RangeError);
  });
});

describe('errors', () => {
  it.each<[ErrorTypeName, number]>([
    [ErrorType.BadInput, 400],
    [ErrorType.Unauthorized, 401],
    [ErrorType.Forbidden, 403],
    [ErrorType.NotFound, 404],
    [ErrorType.WrongPhase, 409],
    [ErrorType.RuleRefused, 422],
  ])('%s -> %s', (type, status) => {
    expect(HTTP_STATUS[type]).toBe(status);
    expect(isErrorTypeName(type)).toBe(true);
  });

  it.each<unknown>(['toString', 'BadInput', 500, null])('isErrorTypeName(%s) is false', (v) => {
    expect(isErrorTypeName(v)).toBe(false);
  });

  it('DomainError carries its type and details', () => {
    const e = new DomainError(ErrorType.RuleRefused, 'quota exceeded', { excess: 1 });
    expect(e).toBeInstanceOf(Error);
    expect(e.type).toBe('rule_refused');
    expect(e.details).toEqual({ excess: 1 });
    expect(e.message).toBe('quota exceeded');
  });
});
