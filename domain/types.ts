/**
 * Core vocabulary shared by the API, the workflows and the activities.
 *
 * The interfaces are the contract; the zod schemas next to them validate untrusted input (HTTP
 * bodies, admin uploads) into those shapes so the same rules hold at every entry point.
 */

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

/** A validation problem: a dotted field path, a machine-readable rule and a human message. */
export interface Issue {
  field: string;
  rule: string;
  message: string;
}
