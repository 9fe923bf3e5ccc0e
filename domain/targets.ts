/**
 * A unit's targets for a month or a year and how far it met them. The weighted completion share
 * is what the oversight report shows and what the replacement trigger "the unit met less than
 * 70% of its targets" reads (domain/triggers.ts).
 */

/** One target: measured by a planned and an achieved value, or given as a completion percentage. */
export type UnitTarget =
  | { name: string; weight: number; planned: number; achieved: number }
  | { name: string; weight: number; completion: number };

/** A target's own share met, 0–1: achieved over planned, or the percentage over 100; capped at 1. */
export function targetShare(t: UnitTarget): number {
  if (!(t.weight > 0)) throw new RangeError(`target '${t.name}': weight must be positive, got ${t.weight}`);
  if ('completion' in t) {
    if (!(t.completion >= 0)) throw new RangeError(`target '${t.name}': completion must be at least 0`);
    return Math.min(1, t.completion / 100);
  }
  if (!(t.planned > 0)) throw new RangeError(`target '${t.name}': planned must be positive, got ${t.planned}`);
  if (!(t.achieved >= 0)) throw new RangeError(`target '${t.name}': achieved must be at least 0`);
  return Math.min(1, t.achieved / t.planned);
}

/**
 * The unit's completion share, 0–1: each target's share weighted by its weight. A target met
 * beyond its plan counts as met (capped at 1), so over-achieving one target cannot hide another
 * left undone. Null without targets: a unit with nothing planned has met nothing and missed nothing.
 * The share is rounded to four decimals so that the same targets always give the same stored number.
 *
 * @throws {RangeError} on a weight that is not positive, a planned value that is not positive,
 *   or a negative achieved value or percentage.
 */
export function targetCompletion(targets: readonly UnitTarget[]): number | null {
  if (targets.length === 0) return null;
  let weighted = 0;
  let weights = 0;
  for (const t of targets) {
    weighted += t.weight * targetShare(t);
    weights += t.weight;
  }
  return Math.round((weighted / weights) * 10_000) / 10_000;
}
