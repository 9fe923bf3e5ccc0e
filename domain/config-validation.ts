/**
 * Validation of admin-supplied rules configuration; apart from `config` so that workflows, which
 * read the defaults, never bundle zod.
 */
import { z } from 'zod';
import { DEFAULT_RULES, type DefaultDueWorkingDay, type RulesConfig } from './config';
import { GradeSchema } from './schemas';

const share = z.number().min(0).max(1);
const count = z.number().int().min(0);
const workingDay = z.number().int().min(1).max(23);
const hour = z.number().int().min(0).max(23);

/** Zod schema for a complete {@link RulesConfig}; used to reject bad admin configuration early. */
export const RulesConfigSchema = z
  .object({
    quotaRate: share,
    outstandingQuotaRate: share,
    minQuotaSlots: count,
    disciplineCap: GradeSchema,
    leaderTiedCap: GradeSchema,
    absenceNotRatedShare: share,
    maxExtensionWorkingDays: count,
    escalationClimbWorkingDays: z.number().int().min(1),
    reviewWorkingDaysAfterExtension: count,
    complaintWindowWorkingDays: z.number().int().min(1),
    complaintResolutionWorkingDays: z.number().int().min(1),
    selfAssessmentOpensWorkingDaysBefore: count,
    reminderWorkingDaysBefore: z.number().int().min(1),
    reminderHour: hour,
    deadlineHour: hour,
    defaultDueWorkingDay: z.object({
      plan: workingDay,
      selfAssessment: workingDay,
      review: workingDay,
      deliberation: workingDay,
    }),
    annualMinRatedMonths: z.number().int().min(1).max(12),
    annualAQuotaOfB: share,
    talentAMonths: z.number().int().min(1).max(120),
    talentWindowMonths: z.number().int().min(1).max(120),
  })
  .strict()
  .refine((r) => r.talentAMonths <= r.talentWindowMonths, {
    message: 'talentAMonths cannot exceed talentWindowMonths',
    path: ['talentAMonths'],
  });

/**
 * The default rules with `overrides` applied. `defaultDueWorkingDay` may be given partially; it is
 * merged over the defaults.
 *
 * @throws {RangeError} when the merged configuration is invalid (unknown key, share outside
 *   0–1, hour outside 0–23, …), so a bad admin setting fails at load, not in the middle of a cycle.
 */
export function rulesWith(
  overrides: Partial<Omit<RulesConfig, 'defaultDueWorkingDay'>> & {
    defaultDueWorkingDay?: Partial<DefaultDueWorkingDay>;
  },
): RulesConfig {
  const merged = {
    ...DEFAULT_RULES,
    ...overrides,
    defaultDueWorkingDay: { ...DEFAULT_RULES.defaultDueWorkingDay, ...overrides.defaultDueWorkingDay },
  };
  const parsed = RulesConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RangeError(`invalid rules configuration: ${detail}`);
  }
  return parsed.data;
}
