/**
 * Which page does a task of `GET /v1/me/tasks` open: each page that serves a kind of task adds
 * its rule here. A task with no page yet is listed without a link.
 */
export interface TaskLink {
  kind: string;
  link: string;
}

type PageRule = (task: TaskLink) => string | null;

const evaluation = /^\/v1\/evaluations\/(\d{4}-\d{2})\/([^/]+)$/;
const cycle = /^\/v1\/cycles\/([^/]+)\/(\d{4}-\d{2})(?:\/deliberation\/approvals)?$/;
const board: PageRule = (task) => {
  const m = cycle.exec(task.link);
  return m ? `/board/${m[1]}/${m[2]}` : null;
};

/** The evaluation a task's link names, if it names one. */
export function evaluationOfTask(task: TaskLink): { period: string; personId: string } | null {
  const m = evaluation.exec(task.link);
  return m ? { period: m[1], personId: decodeURIComponent(m[2]) } : null;
}

const onEvaluation =
  (page: (at: { period: string; personId: string }) => string): PageRule =>
  (task) => {
    const at = evaluationOfTask(task);
    return at ? page(at) : null;
  };

export const TASK_PAGES: Record<string, PageRule> = {
  plan: onEvaluation((at) => `/plan/${at.period}`),
  'self-assessment': onEvaluation((at) => `/self-assessment/${at.period}`),
  review: onEvaluation((at) => `/review/${at.period}/${encodeURIComponent(at.personId)}`),
  deliberation: board,
  approval: board,
  complaint: () => '/complaints',
  escalation: () => '/escalations',
  case: (task) => {
    const m = /^\/v1\/cases\/([^/]+)$/.exec(task.link);
    return m ? `/cases/${m[1]}` : null;
  },
};

/** The period a task of an evaluation belongs to (its link names it), else null. */
export function taskPeriod(task: TaskLink): string | null {
  return evaluation.exec(task.link)?.[1] ?? null;
}

export function pageForTask(task: TaskLink): string | null {
  return (TASK_PAGES[task.kind] ?? TASK_PAGES[task.kind.split(':')[0]])?.(task) ?? null;
}

/** The catalogue key naming a kind of task (`case:vote` and its kin are all "case"). */
export function taskKindKey(kind: string): string {
  const base = kind.split(':')[0];
  const known = ['plan', 'self-assessment', 'review', 'deliberation', 'approval', 'complaint', 'escalation', 'case'];
  return `tasks.kind.${known.includes(base) ? base : 'other'}`;
}
