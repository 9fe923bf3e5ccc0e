/**
 * Zod schemas for case configuration and case request bodies; apart from `cases` so that the case
 * workflow, which uses the vocabulary and defaults, never bundles zod.
 */
import { z } from 'zod';
import {
  DEFAULT_CASE_RULES,
  DEFERRAL_REASONS,
  MOVE_KINDS,
  type CaseRules,
  type DeferralReason,
  type MoveKind,
  type TriggerRules,
} from './cases';
import { DateSchema, EngineIdSchema, PersonSchema, RoleSchema, textSchema } from './schemas';

const months = z.number().int().min(1).max(1200);
const days = z.number().int().min(1).max(366);
const workingDays = z.number().int().min(1).max(60);
const share = z.number().min(0).max(1);
const atLeastOne = z.number().int().min(1);

/** Zod schema for a complete {@link CaseRules}; rejects bad admin configuration early. */
export const CaseRulesSchema = z
  .object({
    minRotationTermMonths: months,
    maxSecondmentMonths: months,
    retirementNoPositionChangeMonths: months,
    leaderRotationMinServiceYearsLeft: z.number().int().min(0).max(50),
    positionChangeDueMonths: months,
    positionChangeOverdueMonths: months,
    opinionWorkingDays: workingDays,
    moveDecisionWorkingDays: workingDays,
    handoverWorkingDays: workingDays,
    explanationWorkingDays: workingDays,
    proposalWorkingDays: workingDays,
    replacementDecisionWorkingDays: workingDays,
    replacementDecisionExtendedWorkingDays: workingDays,
    endOfTermReviewDaysBefore: days,
    triggers: z
      .object({
        consecutiveDYears: atLeastOne,
        consecutiveDMonths: atLeastOne,
        dMonthsIn12: atLeastOne,
        dMonthsWindowMonths: atLeastOne,
        lowConfidenceShare: share,
        disciplinesInTerm: atLeastOne,
        unitTargetShare: share,
      })
      .strict()
      .refine((t) => t.dMonthsIn12 <= t.dMonthsWindowMonths, {
        message: 'dMonthsIn12 cannot exceed the window length',
        path: ['dMonthsIn12'],
      }),
  })
  .strict()
  .refine((r) => r.positionChangeOverdueMonths >= r.positionChangeDueMonths, {
    message: 'overdue cannot come before due',
    path: ['positionChangeOverdueMonths'],
  })
  .refine((r) => r.replacementDecisionExtendedWorkingDays >= r.replacementDecisionWorkingDays, {
    message: 'the extended decision period cannot be shorter than the normal one',
    path: ['replacementDecisionExtendedWorkingDays'],
  });

/**
 * The default case rules with `overrides` applied; `triggers` may be given partially and is
 * merged over the default thresholds.
 *
 * @throws {RangeError} when the merged configuration is invalid (unknown key, share outside
 *   0–1, non-integer months, overdue before due, …).
 */
export function caseRulesWith(
  overrides: Partial<Omit<CaseRules, 'triggers'>> & { triggers?: Partial<TriggerRules> },
): CaseRules {
  const merged = {
    ...DEFAULT_CASE_RULES,
    ...overrides,
    triggers: { ...DEFAULT_CASE_RULES.triggers, ...overrides.triggers },
  };
  const parsed = CaseRulesSchema.safeParse(merged);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RangeError(`invalid case rules configuration: ${detail}`);
  }
  return parsed.data;
}

/** Free text of a case (a reason, a note, an explanation): multi-line, bounded, never blank. */
const nonBlank = textSchema(5000, { multiline: true });
const optionalText = textSchema(5000, { min: 0, multiline: true });
const id = EngineIdSchema;

/** Zod schema for {@link MoveKind}. */
export const MoveKindSchema = z.enum(MOVE_KINDS as [MoveKind, ...MoveKind[]]);

/** Zod schema for {@link DeferralReason}. */
export const DeferralReasonSchema = z.enum(DEFERRAL_REASONS as [DeferralReason, ...DeferralReason[]]);

/** Zod schema for {@link Deferral}. */
export const DeferralSchema = z.object({ reason: DeferralReasonSchema, until: DateSchema });

/** Zod schema for {@link Waiver}: both the rule and the note (why, e.g. the person's own request) are required. */
export const WaiverSchema = z.object({ rule: textSchema(200), note: nonBlank });

/**
 * Zod schema for the case fields a person may carry in `PUT /v1/org` (all optional there; absent
 * means null / false / none).
 */
export const PersonCaseFieldsSchema = z.object({
  retirementDate: DateSchema.nullable().optional(),
  positionSince: DateSchema.nullable().optional(),
  sensitivePosition: z.boolean().optional(),
  deferrals: z.array(DeferralSchema).max(20).optional(),
});

/** Zod schema for a directory person with the case fields ({@link PersonSchema} extended). */
export const PersonWithCaseFieldsSchema = PersonSchema.extend(PersonCaseFieldsSchema.shape);

/**
 * Zod schema for the body of a move in `POST /v1/cases`. `termMonths` is required for a
 * rotation (its length is an eligibility rule) and optional otherwise; `waivers` defaults to
 * none; `reason` is optional for a move.
 */
export const MoveCaseBodySchema = z
  .object({
    kind: MoveKindSchema,
    personId: id,
    toUnitId: id,
    toRole: RoleSchema,
    effectiveDate: DateSchema,
    termMonths: z.number().int().min(1).max(1200).nullable().optional(),
    reason: optionalText.optional(),
    waivers: z.array(WaiverSchema).max(20).default([]),
    /** The automatic proposal HR opens this case from. */
    proposalId: id.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.kind === 'rotation' && (body.termMonths === undefined || body.termMonths === null)) {
      ctx.addIssue({ code: 'custom', path: ['termMonths'], message: 'a rotation needs a term in months' });
    }
  })
  // The same rule in the OpenAPI document, for a client or a fuzzer.
  .meta({
    if: { properties: { kind: { const: 'rotation' } } },
    then: { properties: { termMonths: { type: 'integer' } }, required: ['termMonths'] },
  });

/** Zod schema for the body of a replacement in `POST /v1/cases`; HR must give the reason. */
export const ReplacementCaseBodySchema = z.object({
  kind: z.literal('replacement'),
  personId: id,
  reason: nonBlank,
  proposalId: id.optional(),
});

/** Zod schema for any `POST /v1/cases` body, told apart by `kind` (an unknown kind is named as such). */
export const CaseBodySchema = z.discriminatedUnion('kind', [MoveCaseBodySchema, ReplacementCaseBodySchema]);

/** A validated `POST /v1/cases` body for a move. */
export type MoveCaseBody = z.infer<typeof MoveCaseBodySchema>;

/** A validated `POST /v1/cases` body for a replacement. */
export type ReplacementCaseBody = z.infer<typeof ReplacementCaseBodySchema>;

/** Zod schema for `POST /v1/cases/{id}/opinions`. */
export const OpinionBodySchema = z.object({ opinion: z.enum(['agree', 'disagree']), note: optionalText.optional() });

/** Zod schema for {@link VoteChoice}. */
export const VoteChoiceSchema = z.enum(['approve', 'reject']);

/** Zod schema for `POST /v1/cases/{id}/votes`. */
export const CaseVoteBodySchema = z.object({ vote: VoteChoiceSchema });

/** Zod schema for `POST /v1/cases/{id}/explanation`. */
export const ExplanationBodySchema = z.object({ text: nonBlank });

/**
 * Zod schema for `POST /v1/cases/{id}/proposal`: `replace` must name the acting holder;
 * `keep` must carry its rationale in `note`. `placementUnitId` defaults (later) to the person's
 * own unit.
 */
export const ProposalBodySchema = z
  .object({
    recommendation: z.enum(['replace', 'keep']),
    actingPersonId: id.optional(),
    placementUnitId: id.optional(),
    note: optionalText.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.recommendation === 'replace' && body.actingPersonId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['actingPersonId'], message: 'a replacement needs an acting holder' });
    }
    if (body.recommendation === 'keep' && !/\S/.test(body.note ?? '')) {
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'keeping the leader needs a rationale' });
    }
  });

/** Zod schema for {@link DisciplineLevel}. */
export const DisciplineLevelSchema = z.enum(['reprimand', 'warning', 'demotion', 'dismissal']);

/** Zod schema for `POST /v1/people/{id}/discipline` ({@link DisciplineRecord}). */
export const DisciplineBodySchema = z.object({
  date: DateSchema,
  level: DisciplineLevelSchema,
  note: optionalText.optional(),
});

/** Zod schema for `POST /v1/people/{id}/confidence-votes` ({@link ConfidenceVote}); `low` cannot exceed `total`. */
export const ConfidenceVoteBodySchema = z
  .object({ date: DateSchema, low: z.number().int().min(0).max(100_000), total: z.number().int().min(1).max(100_000) })
  .refine((v) => v.low <= v.total, { message: 'low cannot exceed total', path: ['low'] });
