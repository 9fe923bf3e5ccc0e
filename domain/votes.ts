/**
 * Votes of a deciding collective on a case (move or replacement): a case is approved with more
 * than half of **all** members, not of those who voted, and at exactly half the chair decides.
 */
import { toMs, workingDaysAfter } from './calendar';
import type { CaseRules, VoteChoice } from './cases';
import type { RulesConfig } from './config';

/** One member's ballot. */
export interface Ballot {
  voterId: string;
  vote: VoteChoice;
}

/** The collective, its chair and the ballots cast so far. */
export interface VoteInput {
  /** Every member of the deciding collective (repeats are counted once). */
  members: string[];
  /** The collective's chair (the head); null while the post is vacant, when a tie stays undecided. */
  chairId: string | null;
  votes: Ballot[];
}

/** Totals as the API shows them, and the outcome once it is settled. */
export interface VoteTotals {
  approve: number;
  reject: number;
  /** The number of members (the base of "more than half"). */
  of: number;
  /** null while the remaining ballots could still change the outcome. */
  decided: 'approved' | 'rejected' | null;
}

/** {@link VoteTotals} plus the members who have not voted yet (for reminders and escalation). */
export interface VoteTally extends VoteTotals {
  pending: string[];
}

/**
 * The majority rule, the one place it is coded (the open vote, the secret ballot's box in the API
 * and its close in the workflow all call it):
 *
 * - `'approved'` once approvals are more than half of all `of` members (`approve * 2 > of`), and
 *   `'rejected'` once rejections are; no later ballot can change either;
 * - at exactly half (`approve * 2 === of`, possible only with an even number of members), the
 *   side the chair is on wins: the other side can at most reach the same half. `chairSide` is the
 *   chair's ballot in an open vote, or the chair's casting vote after a secret ballot split;
 * - otherwise null (not yet decided; with an even split and no chair's side it stays null).
 */
export function majorityOutcome(
  totals: { approve: number; reject: number },
  of: number,
  chairSide?: VoteChoice,
): VoteTotals['decided'] {
  if (totals.approve * 2 > of) return 'approved';
  if (totals.reject * 2 > of) return 'rejected';
  if (chairSide === 'approve' && totals.approve * 2 === of) return 'approved';
  if (chairSide === 'reject' && totals.reject * 2 === of) return 'rejected';
  return null;
}

/**
 * Counts the ballots and settles the outcome by {@link majorityOutcome}, the chair's ballot being
 * the chair's side: at exactly half, the chair's vote already decides, even before everyone has
 * voted; with an even split and a vacant chair it stays null.
 *
 * @throws {RangeError} when there are no members, the chair is not a member, or a ballot comes
 *   from a non-member or from a member who already voted (callers turn these into 403 / 409
 *   before they get here).
 */
export function tallyVotes(input: VoteInput): VoteTally {
  const members = [...new Set(input.members)];
  if (members.length === 0) throw new RangeError('a vote needs at least one member');
  const memberSet = new Set(members);
  if (input.chairId !== null && !memberSet.has(input.chairId)) {
    throw new RangeError(`the chair '${input.chairId}' is not a member of the collective`);
  }
  const cast = new Map<string, VoteChoice>();
  for (const ballot of input.votes) {
    if (!memberSet.has(ballot.voterId)) throw new RangeError(`'${ballot.voterId}' is not a member of the collective`);
    if (cast.has(ballot.voterId)) throw new RangeError(`'${ballot.voterId}' has already voted`);
    if (ballot.vote !== 'approve' && ballot.vote !== 'reject') {
      throw new RangeError(`'${String(ballot.vote)}' is not a vote`);
    }
    cast.set(ballot.voterId, ballot.vote);
  }
  const of = members.length;
  let approve = 0;
  let reject = 0;
  for (const vote of cast.values()) {
    if (vote === 'approve') approve += 1;
    else reject += 1;
  }
  const chairVote = input.chairId === null ? undefined : cast.get(input.chairId);
  const decided = majorityOutcome({ approve, reject }, of, chairVote);
  return { approve, reject, of, decided, pending: members.filter((m) => !cast.has(m)) };
}

/**
 * The same count and outcome as {@link tallyVotes}, reduced to what a secret ballot (a
 * replacement) may store or show: the totals and the outcome, with no voter list. The ballots
 * themselves must be discarded by the caller. (At an even split decided by the chair, the
 * outcome necessarily reveals the chair's side; that is the rule, not a leak of this function.)
 *
 * @throws {RangeError} as {@link tallyVotes}.
 */
export function secretTally(input: VoteInput): VoteTotals {
  const { approve, reject, of, decided } = tallyVotes(input);
  return { approve, reject, of, decided };
}

/** An extension of a replacement's vote refused: the rule, the latest deadline it allows, and why. */
export interface VoteExtensionRefusal {
  rule: 'vote-extension-limit';
  latest: string;
  message: string;
}

/**
 * The latest deadline a replacement's vote may be extended to: working day
 * `replacementDecisionExtendedWorkingDays` (15) counted from the local date the vote opened, at
 * `deadlineHour`. It is fixed when the vote opens, so an extension decided after the missed
 * deadline cannot reach further than one decided on time.
 *
 * @throws {RangeError} when `openedAt` is not an instant with an offset.
 */
export function voteExtensionLatest(
  openedAt: string,
  extraHolidays: string[],
  caseRules: Pick<CaseRules, 'replacementDecisionExtendedWorkingDays'>,
  rules: RulesConfig,
): string {
  return workingDaysAfter(openedAt, caseRules.replacementDecisionExtendedWorkingDays, extraHolidays, rules);
}

/**
 * Null when a replacement's vote opened at `openedAt` may be extended to `until` (no later than
 * {@link voteExtensionLatest}); otherwise the refusal, naming the rule and the latest deadline.
 *
 * @throws {RangeError} when either instant is malformed.
 */
export function voteExtensionRefusal(
  openedAt: string,
  until: string,
  extraHolidays: string[],
  caseRules: Pick<CaseRules, 'replacementDecisionExtendedWorkingDays'>,
  rules: RulesConfig,
): VoteExtensionRefusal | null {
  const latest = voteExtensionLatest(openedAt, extraHolidays, caseRules, rules);
  if (toMs(until) <= toMs(latest)) return null;
  const n = caseRules.replacementDecisionExtendedWorkingDays;
  return {
    rule: 'vote-extension-limit',
    latest,
    message:
      `A replacement's vote may be extended to working day ${n} after it opened (${openedAt}) at the latest, ` +
      `${latest}, whenever the extension is decided; ${until} is later.`,
  };
}
