/**
 * Who a case involves, from the directory as it stands when HR opens it: the heads whose opinions
 * a move needs, the deciding collective and its chair, and the escalation ladder of every actor.
 */
import type { Directory, Role } from './types';
import { collectiveOf, decidingUnitOf, escalationLadder, headOf, leaderFor } from './scope';

export interface Parties {
  fromUnitId: string;
  fromRole: Role;
  sendingHeadId: string | null;
  receivingHeadId: string | null;
  decidingUnitId: string;
  collective: string[];
  chairId: string | null;
  ladders: Record<string, string[]>;
}

/**
 * The parties of a case about `personId`; `toUnitId` is the destination of a move, null for a
 * replacement (which has no receiving head). The person never sits in the deciding collective.
 *
 * @throws {RangeError} on an unknown person or unit.
 */
export function partiesOf(dir: Directory, personId: string, toUnitId: string | null): Parties {
  const person = dir.people.find((p) => p.id === personId);
  if (person === undefined) throw new RangeError(`unknown person '${personId}'`);
  const decidingUnitId = decidingUnitOf(dir, person.unitId, toUnitId);
  // Nobody votes on their own case: a leader of the deciding unit steps out of it (and out of the chair).
  const collective = collectiveOf(dir, decidingUnitId).filter((id) => id !== personId);
  const head = headOf(dir, decidingUnitId)?.id ?? null;
  const chairId = head === personId ? null : head;
  const sendingHeadId = toUnitId === null ? null : leaderFor(dir, person.unitId, personId);
  const receivingHeadId = toUnitId === null ? null : leaderFor(dir, toUnitId, personId);
  const actors = [personId, sendingHeadId, receivingHeadId, chairId, ...collective].filter(
    (id): id is string => id !== null,
  );
  const ladders: Record<string, string[]> = {};
  for (const id of new Set(actors)) ladders[id] = escalationLadder(dir, id);
  return {
    fromUnitId: person.unitId,
    fromRole: person.role,
    sendingHeadId,
    receivingHeadId,
    decidingUnitId,
    collective,
    chairId,
    ladders,
  };
}
