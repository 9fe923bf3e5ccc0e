/**
 * Every number the regulations leave open (marked *(default)* in the domain notes) lives here,
 * so a unit or the admin can change it without touching rule code.
 */
import type { Grade } from './types';

/** Working day (1-based) on which each monthly step is due by default. */
export interface DefaultDueWorkingDay {
  /** working day n of month M */
  plan: number;
  /** working day n of month M+1 */
  selfAssessment: number;
  /** working day n of month M+1 */
  review: number;
  /** working day n of month M+1 */
  deliberation: number;
}

/** Tunable rule parameters; see {@link DEFAULT_RULES} for the values and their sources. */
export interface RulesConfig {
  /** Share of rated people who may be A (Hanoi: 30%). */
  quotaRate: number;
  /** Share when the superior level flags the unit outstanding for the month (40%). */
  outstandingQuotaRate: number;
  /** Slots of A always allowed so tiny units are not locked out (default 1). */
  minQuotaSlots: number;
  /** Best monthly grade with a discipline decision effective in the month (default C). */
  disciplineCap: Grade;
  /** Best grade for a leader when someone they lead is D (B: "cannot be A"). */
  leaderTiedCap: Grade;
  /** Leave above this share of the month's working days means not rated (default 0.5). */
  absenceNotRatedShare: number;
  /** Longest extension an escalation target may grant, in working days (default 5). */
  maxExtensionWorkingDays: number;
  /** Working days an escalation waits for a decision before it climbs (default 2). */
  escalationClimbWorkingDays: number;
  /**
   * Working days the reviewer keeps at least after a self-assessment deadline extended by an
   * escalation, counted from its local date (2, the usual gap between the two default deadlines).
   */
  reviewWorkingDaysAfterExtension: number;
  /** Working days after publish during which complaints are accepted (3). */
  complaintWindowWorkingDays: number;
  /** Working days the head has to resolve a complaint (3). */
  complaintResolutionWorkingDays: number;
  /** Self-assessment opens this many working days before its deadline (5). */
  selfAssessmentOpensWorkingDaysBefore: number;
  /** First reminder this many working days before a deadline (2). */
  reminderWorkingDaysBefore: number;
  /** Local hour of reminders and of "opens" instants (8). */
  reminderHour: number;
  /** Local hour of every deadline (17). */
  deadlineHour: number;
  /** Default due working day of each step. */
  defaultDueWorkingDay: DefaultDueWorkingDay;
  /** Fewer rated months than this in a year means the year is not rated (6). */
  annualMinRatedMonths: number;
  /** Annual A may be at most this share of the unit's annual B count (Decree 335: 0.2). */
  annualAQuotaOfB: number;
  /** A months a person needs in the talent window to be proposed for planning and rotation (10). */
  talentAMonths: number;
  /** The talent window, in months ending at the latest settled month (12). */
  talentWindowMonths: number;
}

/** The defaults from the Hanoi regulations and Decree 335/2025; frozen so no caller mutates them. */
export const DEFAULT_RULES: RulesConfig = Object.freeze({
  quotaRate: 0.3,
  outstandingQuotaRate: 0.4,
  minQuotaSlots: 1,
  disciplineCap: 'C',
  leaderTiedCap: 'B',
  absenceNotRatedShare: 0.5,
  maxExtensionWorkingDays: 5,
  escalationClimbWorkingDays: 2,
  reviewWorkingDaysAfterExtension: 2,
  complaintWindowWorkingDays: 3,
  complaintResolutionWorkingDays: 3,
  selfAssessmentOpensWorkingDaysBefore: 5,
  reminderWorkingDaysBefore: 2,
  reminderHour: 8,
  deadlineHour: 17,
  defaultDueWorkingDay: Object.freeze({ plan: 3, selfAssessment: 2, review: 4, deliberation: 6 }),
  annualMinRatedMonths: 6,
  annualAQuotaOfB: 0.2,
  talentAMonths: 10,
  talentWindowMonths: 12,
}) as RulesConfig;
