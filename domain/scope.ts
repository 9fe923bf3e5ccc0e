/**
 * Who reviews, who deliberates and who is escalated to, resolved from a directory snapshot.
 *
 * Functions that take an id throw on an unknown one: a workflow asking about a person who is not
 * in the directory has a data problem that must surface, not a silent "nobody".
 */
import { HR_ACTOR } from './actors';
import type { Directory, Issue, Person, Unit } from './types';

/** The literal escalation target at the end of every ladder: the organisation board. */
export const HR_TARGET = HR_ACTOR;

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function unitOf(dir: Directory, unitId: string): Unit {
  const unit = dir.units.find((u) => u.id === unitId);
  if (unit === undefined) throw new RangeError(`unknown unit '${unitId}'`);
  return unit;
}

function personOf(dir: Directory, personId: string): Person {
  const person = dir.people.find((p) => p.id === personId);
  if (person === undefined) throw new RangeError(`unknown person '${personId}'`);
  return person;
}

/** The unit's head, or undefined while the post is vacant (or the unit is unknown). */
export function headOf(dir: Directory, unitId: string): Person | undefined {
  return dir.people.find((p) => p.unitId === unitId && p.role === 'head');
}

/**
 * The top unit (no parent) above `unitId`, or the unit itself when it is top.
 *
 * @throws {RangeError} on an unknown unit, an unknown parent or a parent cycle.
 */
export function topUnitOf(dir: Directory, unitId: string): Unit {
  let unit = unitOf(dir, unitId);
  const seen = new Set<string>([unit.id]);
  while (unit.parentId !== null) {
    unit = unitOf(dir, unit.parentId);
    if (seen.has(unit.id)) throw new RangeError(`parent cycle through unit '${unit.id}'`);
    seen.add(unit.id);
  }
  return unit;
}

/** The nearest head strictly above `unitId`, skipping vacant posts; undefined above a top unit. */
function headAbove(dir: Directory, unitId: string): Person | undefined {
  const seen = new Set<string>([unitId]);
  let unit = unitOf(dir, unitId);
  while (unit.parentId !== null) {
    unit = unitOf(dir, unit.parentId);
    if (seen.has(unit.id)) throw new RangeError(`parent cycle through unit '${unit.id}'`);
    seen.add(unit.id);
    const head = headOf(dir, unit.id);
    if (head !== undefined) return head;
  }
  return undefined;
}

/**
 * The unit whose leadership collective decides a case (api.md "Cases"): the lowest unit strictly
 * above `fromUnitId` that is, or contains, `toUnitId`; for a replacement (`toUnitId` null) the
 * parent of `fromUnitId`. A top unit decides for itself, and so does the top of the tree when the
 * destination lies in another tree.
 *
 * @throws {RangeError} on an unknown unit or a parent cycle.
 */
export function decidingUnitOf(dir: Directory, fromUnitId: string, toUnitId: string | null): string {
  const above: string[] = [];
  let unit = unitOf(dir, fromUnitId);
  while (unit.parentId !== null) {
    unit = unitOf(dir, unit.parentId);
    if (above.includes(unit.id) || unit.id === fromUnitId)
      throw new RangeError(`parent cycle through unit '${unit.id}'`);
    above.push(unit.id);
  }
  if (above.length === 0) return fromUnitId;
  if (toUnitId === null) return above[0];
  const destination = new Set<string>([toUnitId]);
  let to = unitOf(dir, toUnitId);
  while (to.parentId !== null && !destination.has(to.parentId)) {
    destination.add(to.parentId);
    to = unitOf(dir, to.parentId);
  }
  return above.find((id) => destination.has(id)) ?? above[above.length - 1];
}

/**
 * The head who speaks for a unit on a case about `personId`: the unit's head, or, when the person
 * is that head or the post is vacant, the nearest head above; null when there is none.
 */
export function leaderFor(dir: Directory, unitId: string, personId: string): string | null {
  const head = headOf(dir, unitId);
  if (head !== undefined && head.id !== personId) return head.id;
  return headAbove(dir, unitId)?.id ?? null;
}

/**
 * The person's reviewer (lãnh đạo trực tiếp):
 * - staff: `reviewerId` when it names a deputy or head of the same unit, else the unit's head;
 * - deputy: the unit's head;
 * - head: the head of the parent unit; the top unit's head has none (null).
 * A vacant head post passes the duty to the nearest head above, so no one is left unreviewed.
 *
 * @throws {RangeError} on an unknown person or a broken unit chain.
 */
export function reviewerOf(dir: Directory, personId: string): string | null {
  const person = personOf(dir, personId);
  if (person.role === 'staff' && person.reviewerId != null && person.reviewerId !== person.id) {
    const named = dir.people.find((p) => p.id === person.reviewerId);
    if (named !== undefined && named.unitId === person.unitId && named.role !== 'staff') return named.id;
  }
  if (person.role !== 'head') {
    const head = headOf(dir, person.unitId);
    if (head !== undefined) return head.id;
  }
  return headAbove(dir, person.unitId)?.id ?? null;
}

/**
 * Whether `readerId`, as a directory person, reads `personId`'s personnel record (deferral
 * reasons, discipline, confidence votes): the person, their reviewer as {@link reviewerOf} names
 * them (so a head's record goes up to the superior head, not sideways to their deputies) and the
 * head of their unit. HR and admins read every record by role, outside the directory.
 *
 * @throws {RangeError} on an unknown person or a broken unit chain.
 */
export function readsPersonRecord(dir: Directory, readerId: string, personId: string): boolean {
  const person = personOf(dir, personId);
  return (
    readerId === person.id || readerId === reviewerOf(dir, personId) || readerId === headOf(dir, person.unitId)?.id
  );
}

/**
 * The unit whose collective settles the person's grade: their own unit for staff and deputies
 * and for the head of a top unit; the parent unit for any other head (Hanoi 3251 Art. 8).
 *
 * @throws {RangeError} on an unknown person or unit.
 */
export function settledBy(dir: Directory, personId: string): string {
  const person = personOf(dir, personId);
  const unit = unitOf(dir, person.unitId);
  if (person.role === 'head' && unit.parentId !== null) return unit.parentId;
  return unit.id;
}

/**
 * Everyone settled by the unit's collective: its staff and deputies, the heads of its direct
 * subordinate units, and its own head when it is a top unit; sorted by id.
 *
 * @throws {RangeError} on an unknown unit.
 */
export function membersSettledBy(dir: Directory, unitId: string): Person[] {
  unitOf(dir, unitId);
  const children = new Set(dir.units.filter((u) => u.parentId === unitId).map((u) => u.id));
  return dir.people
    .filter((p) => {
      const unit = dir.units.find((u) => u.id === p.unitId);
      if (unit === undefined) return false;
      if (p.role === 'head') return children.has(p.unitId) || (p.unitId === unitId && unit.parentId === null);
      return p.unitId === unitId;
    })
    .sort(byId);
}

/** The leadership collective of a unit: the head's id first, then the deputies' ids by id. */
export function collectiveOf(dir: Directory, unitId: string): string[] {
  const head = headOf(dir, unitId);
  const deputies = dir.people.filter((p) => p.unitId === unitId && p.role === 'deputy').sort(byId);
  return [...(head === undefined ? [] : [head.id]), ...deputies.map((p) => p.id)];
}

/**
 * Where an escalation about `fromPersonId`'s missed step goes, in order: their reviewer, that
 * reviewer's reviewer, … up to the top unit's head, then `'hr'`. Without duplicates, and never
 * the person themselves.
 *
 * @throws {RangeError} on an unknown person or a broken unit chain.
 */
export function escalationLadder(dir: Directory, fromPersonId: string): string[] {
  return ladderFrom(fromPersonId, (id) => reviewerOf(dir, id));
}

/**
 * The ladder above `fromId` when each person's reviewer is known by `reviewerOfId` (the directory,
 * or the reviewer chain a workflow was handed): each reviewer in turn, without repeats and never
 * `fromId` itself, then `'hr'`.
 */
export function ladderFrom(fromId: string, reviewerOfId: (id: string) => string | null): string[] {
  const ladder: string[] = [];
  const seen = new Set<string>([fromId]);
  let next = reviewerOfId(fromId);
  while (next !== null && !seen.has(next)) {
    ladder.push(next);
    seen.add(next);
    next = reviewerOfId(next);
  }
  ladder.push(HR_TARGET);
  return ladder;
}

/**
 * The people a leader leads, sorted by id: for a head, everyone else in their unit; for a
 * deputy, the staff whose reviewer they are; nobody for staff. Used for the leader-tied cap.
 *
 * @throws {RangeError} on an unknown person.
 */
export function ledBy(dir: Directory, leaderId: string): string[] {
  const leader = personOf(dir, leaderId);
  if (leader.role === 'head') {
    return dir.people
      .filter((p) => p.unitId === leader.unitId && p.id !== leader.id)
      .sort(byId)
      .map((p) => p.id);
  }
  if (leader.role === 'deputy') {
    return dir.people
      .filter((p) => p.unitId === leader.unitId && p.role === 'staff' && reviewerOf(dir, p.id) === leader.id)
      .sort(byId)
      .map((p) => p.id);
  }
  return [];
}

/** Drops the keys whose value is undefined: in an upload, those are the fields left out. */
function named<T extends object>(row: T): Partial<T> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The directory as it will be once `upload` is written over `stored`, as `PUT /v1/org` writes
 * it: a row takes the fields the upload names (null included) and keeps the stored value of
 * every field it leaves out; a new row takes the defaults (an active unit; no e-mail, no named
 * reviewer). Stored rows keep their order, new ones follow in the upload's. Linear.
 */
export function mergeDirectory(stored: Directory, upload: Directory): Directory {
  const units = new Map<string, Unit>(stored.units.map((u) => [u.id, u]));
  for (const u of upload.units) units.set(u.id, { ...(units.get(u.id) ?? { active: true }), ...named(u) } as Unit);
  const people = new Map<string, Person>(stored.people.map((p) => [p.id, p]));
  for (const p of upload.people)
    people.set(p.id, { ...(people.get(p.id) ?? { email: null, reviewerId: null }), ...named(p) } as Person);
  return { units: [...units.values()], people: [...people.values()] };
}

/** Ids an upload names more than once, one issue per id (field `units` or `people`); linear. */
export function duplicatesIn(upload: Directory): Issue[] {
  const issues: Issue[] = [];
  const find = (rows: { id: string }[], field: 'units' | 'people', noun: string): void => {
    const seen = new Set<string>();
    const reported = new Set<string>();
    for (const { id } of rows) {
      if (!seen.has(id)) seen.add(id);
      else if (!reported.has(id)) {
        reported.add(id);
        issues.push({ field, rule: 'duplicate', message: `${noun} ${id} appears twice` });
      }
    }
  };
  find(upload.units, 'units', 'unit');
  find(upload.people, 'people', 'person');
  return issues;
}

/**
 * The ids that lie on a cycle when each id points to at most one next id (a parent, a reviewer):
 * each id is walked once, so the cost is linear however long the chains are.
 */
function onCycles(ids: Iterable<string>, next: (id: string) => string | null | undefined): Set<string> {
  const state = new Map<string, 'walking' | 'done'>();
  const cyclic = new Set<string>();
  for (const start of ids) {
    const path: string[] = [];
    let cursor: string | null | undefined = start;
    while (cursor != null && !state.has(cursor)) {
      state.set(cursor, 'walking');
      path.push(cursor);
      cursor = next(cursor);
    }
    // Met an id of this very walk: the path from there on is a loop.
    if (cursor != null && state.get(cursor) === 'walking') {
      for (let i = path.indexOf(cursor); i < path.length; i += 1) cyclic.add(path[i]);
    }
    for (const id of path) state.set(id, 'done');
  }
  return cyclic;
}

/**
 * Referential problems in a directory; empty when sound. Rules: `duplicate` id,
 * `unknown-parent`, `parent-cycle`, `unknown-unit`, `two-heads`, `unknown-reviewer`,
 * `reviewer-not-leader` (a staff member's named reviewer must be a deputy or head of the same
 * unit), `reviewer-cycle` (following `reviewerId` returns to the start). Fields are paths such
 * as `people[3].unitId`. Never throws: HR sees every problem of an upload at once. Linear in the
 * size of the directory, so a city-sized upload does not hold the event loop.
 */
export function validateDirectory(dir: Directory): Issue[] {
  const issues: Issue[] = [];
  const units = new Map<string, Unit>();
  dir.units.forEach((u, i) => {
    if (units.has(u.id))
      issues.push({ field: `units[${i}].id`, rule: 'duplicate', message: `unit id '${u.id}' is used more than once` });
    else units.set(u.id, u);
  });
  const people = new Map<string, Person>();
  dir.people.forEach((p, i) => {
    if (people.has(p.id))
      issues.push({
        field: `people[${i}].id`,
        rule: 'duplicate',
        message: `person id '${p.id}' is used more than once`,
      });
    else people.set(p.id, p);
  });

  const unitLoops = onCycles(units.keys(), (id) => units.get(id)?.parentId);
  dir.units.forEach((u, i) => {
    if (u.parentId === null) return;
    if (!units.has(u.parentId)) {
      issues.push({
        field: `units[${i}].parentId`,
        rule: 'unknown-parent',
        message: `unit '${u.id}' has unknown parent '${u.parentId}'`,
      });
      return;
    }
    // Only a unit on the loop itself reports it, so a subtree hanging off a loop is not blamed.
    if (units.get(u.id) === u && unitLoops.has(u.id)) {
      issues.push({
        field: `units[${i}].parentId`,
        rule: 'parent-cycle',
        message: `unit '${u.id}' is its own ancestor`,
      });
    }
  });

  const reviewerLoops = onCycles(people.keys(), (id) => people.get(id)?.reviewerId);
  const headsSeen = new Set<string>();
  dir.people.forEach((p, i) => {
    if (!units.has(p.unitId)) {
      issues.push({
        field: `people[${i}].unitId`,
        rule: 'unknown-unit',
        message: `person '${p.id}' is in unknown unit '${p.unitId}'`,
      });
    }
    if (p.role === 'head') {
      if (headsSeen.has(p.unitId)) {
        issues.push({
          field: `people[${i}].role`,
          rule: 'two-heads',
          message: `unit '${p.unitId}' already has a head; '${p.id}' would be a second`,
        });
      }
      headsSeen.add(p.unitId);
    }
    if (p.reviewerId == null) return;
    const reviewer = people.get(p.reviewerId);
    if (reviewer === undefined) {
      issues.push({
        field: `people[${i}].reviewerId`,
        rule: 'unknown-reviewer',
        message: `person '${p.id}' names unknown reviewer '${p.reviewerId}'`,
      });
      return;
    }
    if (people.get(p.id) === p && reviewerLoops.has(p.id)) {
      issues.push({
        field: `people[${i}].reviewerId`,
        rule: 'reviewer-cycle',
        message: `reviewer chain of '${p.id}' leads back to them`,
      });
    } else if (p.role === 'staff' && (reviewer.unitId !== p.unitId || reviewer.role === 'staff')) {
      issues.push({
        field: `people[${i}].reviewerId`,
        rule: 'reviewer-not-leader',
        message: `reviewer '${reviewer.id}' of '${p.id}' must be a deputy or head of unit '${p.unitId}'`,
      });
    }
  });
  return issues;
}
