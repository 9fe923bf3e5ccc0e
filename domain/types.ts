/**
 * Core vocabulary shared by the API, the workflows and the activities.
 *
 * The interfaces are the contract; the zod schemas next to them validate untrusted input (HTTP
 * bodies, admin uploads) into those shapes so the same rules hold at every entry point.
 */
import { z } from 'zod';

/** Monthly / annual grade: A (excellent) … D (not completed). A is the best. */
export type Grade = 'A' | 'B' | 'C' | 'D';

/** Position of a person inside their unit; head + deputies form the leadership collective. */
export type Role = 'head' | 'deputy' | 'staff';

/** An organisation node (city → department / district → ward). `parentId` null marks a top unit. */
export interface Unit {
  id: string;
  name: string;
  parentId: string | null;
  active?: boolean;
}

/**
 * A cadre, civil servant or employee. `reviewerId` only matters for staff: it names the deputy
 * (or head) of the same unit who reviews them; otherwise the unit head reviews.
 */
export interface Person {
  id: string;
  fullName: string;
  unitId: string;
  role: Role;
  email?: string | null;
  reviewerId?: string | null;
}

/** A snapshot of the organisation: every unit and every person, as HR maintains it. */
export interface Directory {
  units: Unit[];
  people: Person[];
}

/** Criterion key → points, e.g. `{ discipline: 18, tasks: 62, bonus: 5 }`. */
export type Scores = Record<string, number>;

/** Zod schema for {@link Grade}. */
export const GradeSchema = z.enum(['A', 'B', 'C', 'D']);

/** Zod schema for {@link Role}. */
export const RoleSchema = z.enum(['head', 'deputy', 'staff']);

/** Zod schema for a `YYYY-MM` evaluation period. */
export const PeriodSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected YYYY-MM');

/** Zod schema for a `YYYY-MM-DD` calendar date (shape only; day-of-month validity is checked by calendar functions). */
export const DateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'expected YYYY-MM-DD');

/**
 * Zod schema for an instant with an explicit offset. The offset is mandatory because
 * `Date.parse` reads offset-less date-times in the machine's zone, which would make deadlines
 * depend on where the worker runs.
 */
export const InstantSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    'expected an ISO date-time with offset, e.g. 2026-12-03T17:00:00+07:00',
  );

/** Zod schema for {@link Unit}. */
export const UnitSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  parentId: z.string().min(1).nullable(),
  active: z.boolean().optional(),
});

/** Zod schema for {@link Person}. */
export const PersonSchema = z.object({
  id: z.string().min(1),
  fullName: z.string().min(1),
  unitId: z.string().min(1),
  role: RoleSchema,
  email: z.string().nullable().optional(),
  reviewerId: z.string().min(1).nullable().optional(),
});

/** Zod schema for {@link Directory} (shape only; use `validateDirectory` for referential rules). */
export const DirectorySchema = z.object({
  units: z.array(UnitSchema),
  people: z.array(PersonSchema),
});

/** Zod schema for {@link Scores} (shape only; use `validateScores` for the profile's rules). */
export const ScoresSchema = z.record(z.string(), z.number());

/** A validation problem: a dotted field path, a machine-readable rule and a human message. */
export interface Issue {
  field: string;
  rule: string;
  message: string;
}
