/**
 * The ids the engine itself acts or answers under, beside the directory's people. A person
 * holding one of them would be taken for that actor: a person `hr` would see and decide what the
 * HR rung of every ladder owes, a person `ballot-box` could close a secret ballot.
 */
import type { Issue } from './types';

/** The last rung of every escalation ladder, answered by anyone holding the `hr` role. */
export const HR_ACTOR = 'hr';
/** The token role that answers for {@link HR_ACTOR}, opens cases and keeps HR's records. */
export const HR_ROLE = 'hr';
/** The token role that configures the installation. */
export const ADMIN_ROLE = 'admin';
/** The bootstrap admin token's actor. */
export const ADMIN_ACTOR = 'admin';
/** The API's ballot box, the only actor that closes a secret ballot with its totals. */
export const BALLOT_BOX_ACTOR = 'ballot-box';
/** What workflows record as the actor of their own timers and defaults. */
export const SYSTEM_ACTOR = 'system';
/** A token without a person acts as `token:<hash prefix>`. */
export const TOKEN_ACTOR_PREFIX = 'token:';

const RESERVED: readonly string[] = [HR_ACTOR, ADMIN_ACTOR, BALLOT_BOX_ACTOR, SYSTEM_ACTOR];

export function isReservedActorId(id: string): boolean {
  return RESERVED.includes(id) || id.startsWith(TOKEN_ACTOR_PREFIX);
}

/**
 * A `reserved` issue for each person whose id is an engine actor's, named as the API names the
 * field of the upload (`people.N.id`).
 */
export function reservedIdIssues(people: readonly { id: string }[]): Issue[] {
  return people.flatMap((p, i) =>
    isReservedActorId(p.id)
      ? [{ field: `people.${i}.id`, rule: 'reserved', message: `'${p.id}' is reserved for the engine's own actors` }]
      : [],
  );
}
