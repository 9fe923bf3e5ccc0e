/**
 * Request and response schemas: zod validates every input and the same objects generate the
 * OpenAPI document, so the contract and the checks cannot drift apart.
 */
import { z } from '@hono/zod-openapi';
import { PersonCaseFieldsSchema } from '../domain/case-schemas';
import {
  DateSchema,
  EngineIdSchema,
  GradeSchema,
  InstantSchema,
  PeriodSchema,
  RoleSchema,
  ScoresSchema,
  textSchema,
} from '../domain/schemas';
import { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from '../domain/tokens';

// The domain's schemas are plain zod (built before the OpenAPI extension may load), so they are used as they are.
export const Period = PeriodSchema;
export const Instant = InstantSchema;
export const Grade = GradeSchema;
const Id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"');

/** Longest free text a person types into one field (a rationale, a complaint, an explanation). */
export const LONG_TEXT = 5000;
/** Free text of many lines: a rationale, a note, a complaint. */
export const LongText = textSchema(LONG_TEXT, { multiline: true });
/** A name or a title on one line. */
export const Line = (max: number) => textSchema(max);

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error');

export const Directory = z
  .object({
    units: z
      .array(z.object({ id: Id, name: Line(300), parentId: Id.nullable(), active: z.boolean().optional() }))
      .max(50_000),
    people: z
      .array(
        z.object({
          id: Id,
          fullName: Line(300),
          unitId: Id,
          role: RoleSchema,
          email: z.email().max(254).nullable().optional(),
          reviewerId: Id.nullable().optional(),
          /** The subject (`sub`) the person's OpenID provider gives them, for signing in to the web pages. */
          oidcSubject: Line(255).nullable().optional(),
          // Omitted case fields keep what the directory holds; null clears a date.
          ...PersonCaseFieldsSchema.shape,
        }),
      )
      .max(500_000),
  })
  .openapi('Directory');

export const TokenRequest = z
  .object({
    personId: Id.nullable().optional(),
    roles: z.array(z.enum(['hr', 'admin'])).default([]),
    label: Line(200).optional(),
    expiresAt: Instant.optional().openapi({
      description: `When the token stops working: after now and at most ${TOKEN_MAX_DAYS} days away; ${TOKEN_DEFAULT_DAYS} days from now when absent.`,
    }),
  })
  // A token needs a person or at least one role (checked by the route; stated here for a client or a fuzzer).
  .openapi('TokenRequest', {
    anyOf: [
      { properties: { personId: { type: 'string' } }, required: ['personId'] },
      { properties: { roles: { minItems: 1 } }, required: ['roles'] },
    ],
  });

/** A token's short id: the first 12 hex digits of its hash. */
export const TokenIdParam = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{12}$/, 'the 12 hex digits a token is listed under')
    .openapi({ param: { name: 'id', in: 'path' }, example: '0123456789ab' }),
});

/** A token just issued: the token itself only in the first answer, `message` in a repeat's. */
export const TokenIssued = z
  .object({
    token: z.string().optional(),
    tokenId: z.string(),
    personId: z.string().nullable(),
    roles: z.array(z.string()),
    expiresAt: z.string(),
    message: z.string().optional(),
  })
  .openapi('TokenIssued');

/** A token as it is listed: never the token itself. */
export const TokenView = z
  .object({
    id: z.string(),
    personId: z.string().nullable(),
    roles: z.array(z.string()),
    label: z.string().nullable(),
    createdAt: z.string(),
    expiresAt: z.string().nullable().openapi({ description: 'Null for a token that never expires.' }),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
    status: z.enum(['active', 'expired', 'revoked']),
  })
  .openapi('Token');

export const Deadlines = z
  .object({ plan: Instant, selfAssessment: Instant, review: Instant, deliberation: Instant })
  .partial()
  .strict()
  .openapi('DeadlineOverrides');

/** On a running cycle an admin may also move the end of the complaint window (`complaints`). */
export const RunningDeadlines = Deadlines.extend({ complaints: Instant.optional() }).openapi(
  'RunningDeadlineOverrides',
);

export const OpenCycleRequest = z
  .object({ unitId: Id, period: Period, deadlines: Deadlines.optional() })
  .strict()
  .openapi('OpenCycle');

export const CycleParams = z.object({ unitId: Id, period: Period });
export const EvaluationParams = z.object({ period: Period, personId: Id });
export const IdParam = z.object({ id: EngineIdSchema });

export const Plan = z
  .object({
    tasks: z
      .array(z.object({ title: Line(500), target: Line(500) }).strict())
      .min(1)
      .max(100),
  })
  .strict()
  .openapi('Plan');

export const ScoresBody = z
  .object({ scores: ScoresSchema, comment: textSchema(LONG_TEXT, { min: 0, multiline: true }).optional() })
  .strict()
  .openapi('Scores', { example: { scores: { discipline: 18, tasks: 62, bonus: 5 }, comment: 'Hoàn thành đúng hạn' } });

export const DeliberationBody = z
  .object({
    decisions: z
      .array(
        z
          .object({
            personId: Id,
            grade: Grade.nullable(),
            rationale: textSchema(2000, { min: 0, multiline: true }).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(2000),
  })
  .strict()
  .openapi('Deliberation');

export const OutstandingBody = z
  .object({ outstanding: z.boolean(), rationale: LongText })
  .strict()
  .openapi('Outstanding');
export const Empty = z.object({}).strict();
export const ComplaintBody = z.object({ reason: LongText }).strict().openapi('Complaint');
export const ResolutionBody = z
  .object({ outcome: z.enum(['upheld', 'changed']), grade: Grade.optional(), rationale: LongText })
  .strict()
  .openapi('ComplaintResolution');

export const DecisionBody = z
  .object({
    action: z.enum(['extend', 'take-over', 'reassign', 'accept-default']),
    until: Instant.optional(),
    assigneeId: Id.optional(),
    note: textSchema(LONG_TEXT, { min: 0, multiline: true }).optional(),
  })
  .strict()
  .openapi('EscalationDecision');

export const EscalationQuery = z.object({ status: z.enum(['open', 'decided', 'defaulted', 'closed']).optional() });

export const HolidaysBody = z
  .object({ holidays: z.array(z.object({ date: DateSchema, name: Line(200) }).strict()).max(500) })
  .strict()
  .openapi('Holidays');

export const DisciplineBody = z
  .object({
    date: DateSchema,
    level: z.enum(['reprimand', 'warning', 'demotion', 'dismissal']),
    note: textSchema(LONG_TEXT, { min: 0, multiline: true }).optional(),
  })
  .strict()
  .openapi('Discipline');

export const LeaveBody = z.object({ from: DateSchema, to: DateSchema }).strict().openapi('Leave');
const Year = z.string().regex(/^(20\d\d|2100)$/, 'expected a year YYYY between 2000 and 2100');
export const AnnualParams = z.object({ unitId: Id, year: Year });
export const PersonAnnualParams = z.object({ id: EngineIdSchema, year: Year });
export const YearQuery = z.object({ year: Year }).strict();

/** Responses are documented loosely: their shapes are the read model's, spelled out in api.md. */
export const AnyJson = z.unknown().openapi({ type: 'object' });

const Scores = z.record(z.string(), z.number());

/** A member's line of a cycle: their evaluation's state, scores and grades. */
export const MemberLine = z
  .object({
    personId: z.string(),
    status: z.string(),
    reviewerId: z.string().nullable(),
    selfScores: Scores.nullable(),
    reviewScores: Scores.nullable(),
    total: z.number().nullable(),
    proposedGrade: z.string().nullable(),
    finalGrade: z.string().nullable(),
    caps: z.array(z.unknown()),
  })
  .openapi('MemberLine');

/** A unit's cycle as the read model shows it; a member who reads it sees their own line only, and no deliberation. */
export const CycleView = z
  .object({
    unitId: z.string(),
    period: z.string(),
    phase: z.string(),
    profileId: z.string(),
    deadlines: z.record(z.string(), z.string()),
    outstanding: z.boolean(),
    headId: z.string().nullable(),
    collective: z.array(z.string()),
    deliberation: z.unknown().optional(),
    publishedAt: z.string().nullable(),
    complaintWindowEndsAt: z.string().nullable(),
    members: z.array(MemberLine),
  })
  .openapi('Cycle');

/** One evaluation with its plan, history and escalations. */
export const EvaluationView = MemberLine.extend({
  period: z.string(),
  unitId: z.string(),
  plan: z.unknown(),
  selfComment: z.string().nullable(),
  reviewComment: z.string().nullable(),
  deadlines: z.record(z.string(), z.string()),
  missed: z.array(z.string()),
  history: z.array(z.unknown()),
  escalations: z.array(z.unknown()),
}).openapi('Evaluation');

/** A cycle's published grades. */
export const CycleResults = z
  .object({
    unitId: z.string(),
    period: z.string(),
    phase: z.string(),
    results: z.array(
      z.object({
        personId: z.string(),
        fullName: z.string().nullable(),
        finalGrade: z.string().nullable(),
        total: z.number().nullable(),
      }),
    ),
  })
  .openapi('CycleResults');

/** A complaint as it was filed. */
export const ComplaintFiled = z
  .object({ id: z.string(), status: z.string(), dueAt: z.string().nullable() })
  .openapi('ComplaintFiled');
