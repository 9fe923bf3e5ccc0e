/**
 * The A quota of a deliberation. A breach is reported with its excess and never trimmed
 * silently: the collective must decide who loses the A.
 */
import { DEFAULT_RULES, type RulesConfig } from './config';
import type { Grade } from './types';

/**
 * How many A grades a deliberation with `rated` rated people may give:
 * 0 for nobody rated, else `max(minQuotaSlots, floor(rate × rated))`, with the 40% rate when the
 * unit is flagged outstanding.
 *
 * @throws {RangeError} when `rated` is not a non-negative integer.
 */
export function allowedA(rated: number, outstanding: boolean, rules: RulesConfig = DEFAULT_RULES): number {
  if (!Number.isInteger(rated) || rated < 0) throw new RangeError(`rated must be a non-negative integer, got ${rated}`);
  if (rated === 0) return 0;
  const rate = outstanding ? rules.outstandingQuotaRate : rules.quotaRate;
  // The epsilon stops a product like 0.7 × 10 = 6.999… from losing a whole slot.
  return Math.max(rules.minQuotaSlots, Math.floor(rate * rated + 1e-9));
}

/** A quota breach: how many A were allowed and given, and by how many it is exceeded. */
export interface QuotaBreach {
  rule: 'quota';
  allowed: number;
  given: number;
  excess: number;
  rated: number;
  message: string;
}

/**
 * The quota breach in a list of final grades, or null when within quota. Null grades are people
 * not rated this month: they count neither as rated nor as A.
 */
export function quotaBreach(
  grades: (Grade | null)[],
  outstanding: boolean,
  rules: RulesConfig = DEFAULT_RULES,
): null | QuotaBreach {
  const rated = grades.filter((g) => g !== null).length;
  const given = grades.filter((g) => g === 'A').length;
  return quotaBreachOfCounts(rated, given, outstanding, rules);
}

/**
 * {@link quotaBreach} from counts, for callers that know who is rated independently of the
 * grades given (a deliberation counts a rated member even before their line is filled in).
 *
 * @throws {RangeError} as {@link allowedA}.
 */
export function quotaBreachOfCounts(
  rated: number,
  given: number,
  outstanding: boolean,
  rules: RulesConfig = DEFAULT_RULES,
): null | QuotaBreach {
  const allowed = allowedA(rated, outstanding, rules);
  if (given <= allowed) return null;
  const rate = outstanding ? rules.outstandingQuotaRate : rules.quotaRate;
  return {
    rule: 'quota',
    allowed,
    given,
    excess: given - allowed,
    rated,
    message: `${given} A grades given but at most ${allowed} allowed (${Math.round(rate * 100)}% of ${rated} rated${outstanding ? ', unit outstanding' : ''}): ${given - allowed} too many`,
  };
}
