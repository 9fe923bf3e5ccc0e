/** The caps and breaches of a list of decisions, from the cap facts loaded when deliberation opened. */
import { capsFor, type Cap } from '../../domain/caps';
import { checkDeliberation, type Breach } from '../../domain/deliberation';
import type { Grade } from '../../domain/types';
import type { DecisionLine } from '../../contracts/messages';
import type { CycleState } from './state';

/** Caps of every line given the grades a list proposes (a leader's cap depends on those they lead). */
export function capsGiven(cycle: CycleState, grades: Map<string, Grade | null>): Map<string, Cap[]> {
  const out = new Map<string, Cap[]>();
  for (const m of cycle.context().members) {
    const f = cycle.capFacts.get(m.personId);
    if (!f) {
      out.set(m.personId, []);
      continue;
    }
    const someoneLedIsD = f.ledOutsideIsD || f.ledInCycle.some((id) => grades.get(id) === 'D');
    out.set(
      m.personId,
      capsFor(
        {
          disciplinedInMonth: f.disciplinedInMonth,
          leaveWorkingDays: f.leaveWorkingDays,
          workingDaysInMonth: f.workingDaysInMonth,
          isLeader: f.isLeader,
          someoneLedIsD,
        },
        cycle.context().rules,
      ),
    );
  }
  return out;
}

/** The rules a list of decisions breaks, and the caps it gives each member. */
export function breachesOf(
  cycle: CycleState,
  decisions: DecisionLine[],
  options: { outstanding: boolean },
): { breaches: Breach[]; caps: Map<string, Cap[]> } {
  const grades = new Map(decisions.map((d) => [d.personId, d.grade] as const));
  const caps = capsGiven(cycle, grades);
  const lines = cycle.context().members.map((m) => ({
    personId: m.personId,
    proposedGrade: cycle.results.get(m.personId)?.proposedGrade ?? null,
    caps: caps.get(m.personId) ?? [],
    role: m.role,
  }));
  return { breaches: checkDeliberation(lines, decisions, options.outstanding, cycle.context().rules), caps };
}
