/**
 * GET /month/{period}/{personId}: one person's month for whoever may read their evaluation
 * through the API (the same right, `mayReadEvaluation`), from the same reads.
 */
import { Hono } from 'hono';
import type { ApiDeps } from '../../api/deps';
import { escalationsOf } from '../../api/read-model';
import { auditOfMonth, type AuditRow } from '../../db/audit';
import { findCycle, type CycleRow } from '../../db/cycles';
import type { StoredEvaluation } from '../../db/evaluations';
import { personName } from '../../db/web-sessions';
import { cycleWorkflowId } from '../../contracts/messages';
import { frameFor, requireSession } from '../frame';
import type { WebEnv } from '../session';
import { readableEvaluation } from './evaluation-routes';
import { MonthPage, type MonthStep } from './month';

const date = (d: Date | string | null | undefined): Date | null => (d ? new Date(d) : null);

/** The month's steps, each with its deadline and when (and by whom) it happened. */
function monthSteps(e: StoredEvaluation, cycle: CycleRow | undefined, audit: AuditRow[]): MonthStep[] {
  const filed = (step: string) => e.history.find((h) => h.step === step);
  const first = (action: string) => audit.find((a) => a.action === action);
  const own = (key: MonthStep['key'], step: string, dueAt: string): MonthStep => ({
    key,
    dueAt: date(dueAt),
    doneAt: date(filed(step)?.at),
    by: filed(step)?.by ?? null,
    missed: e.missed.includes(step),
  });
  const put = first('deliberation.put');
  const complaint = first('complaint.filed');
  return [
    own('plan', 'plan', e.deadlines.plan),
    own('selfAssessment', 'self-assessment', e.deadlines.selfAssessment),
    own('review', 'review', e.deadlines.review),
    {
      key: 'deliberation',
      dueAt: date(cycle?.deadlines.deliberation),
      doneAt: date(put?.at),
      by: put?.actor ?? null,
      missed: false,
    },
    { key: 'publication', dueAt: null, doneAt: date(cycle?.publishedAt), by: null, missed: false },
    {
      key: 'complaint',
      dueAt: date(cycle?.complaintWindowEndsAt),
      doneAt: date(complaint?.at),
      by: complaint?.actor ?? null,
      missed: false,
    },
    { key: 'lock', dueAt: null, doneAt: date(cycle?.lockedAt), by: null, missed: false },
  ];
}

export function monthRoutes(deps: ApiDeps) {
  return new Hono<WebEnv>().get('/month/:period/:personId', async (c) => {
    const session = requireSession(c);
    if (session instanceof Response) return session;
    const found = await readableEvaluation(c, deps, session, c.req.param());
    if (found instanceof Response) return found;
    const e = found.evaluation;
    const [cycle, escalations, name] = await Promise.all([
      findCycle(deps.sql, e.unitId, e.period),
      escalationsOf(deps.sql, e.period, e.personId),
      personName(deps.sql, e.personId),
    ]);
    const audit = await auditOfMonth(deps.sql, {
      evaluationWorkflowId: e.workflowId,
      cycleWorkflowId: cycleWorkflowId(e.unitId, e.period),
      period: e.period,
      personId: e.personId,
    });
    const steps = monthSteps(e, cycle, audit);
    const ids = new Set([
      ...steps.map((x) => x.by),
      ...audit.map((a) => a.actor),
      ...escalations.map((x) => x.targetId),
    ]);
    const names: Record<string, string> = {};
    for (const id of ids) {
      const known = id ? await personName(deps.sql, id) : undefined;
      if (id && known) names[id] = known;
    }
    const view = {
      period: e.period,
      names,
      personId: e.personId,
      name: name ?? e.personId,
      steps,
      escalations: escalations.map((x) => ({
        kind: x.kind,
        level: x.level,
        targetId: x.targetId,
        status: x.status,
        dueAt: date(x.dueAt),
        createdAt: date(x.createdAt),
        decision: (x.decision as { action?: string } | null)?.action ?? null,
      })),
      audit,
    };
    return c.html(<MonthPage frame={await frameFor(c, deps, session)} view={view} now={new Date()} />);
  });
}
