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

export const TASK_PAGES: Record<string, PageRule> = {
  plan: (task) => {
    const m = evaluation.exec(task.link);
    return m ? `/plan/${m[1]}` : null;
  },
  escalation: () => '/escalations',
  case: (task) => {
    const m = /^\/v1\/cases\/([^/]+)$/.exec(task.link);
    return m ? `/cases/${m[1]}` : null;
  },
};

export function pageForTask(task: TaskLink): string | null {
  return (TASK_PAGES[task.kind] ?? TASK_PAGES[task.kind.split(':')[0]])?.(task) ?? null;
}

/** The catalogue key naming a kind of task (`case:vote` and its kin are all "case"). */
export function taskKindKey(kind: string): string {
  const base = kind.split(':')[0];
  const known = ['plan', 'self-assessment', 'review', 'deliberation', 'approval', 'complaint', 'escalation', 'case'];
  return `tasks.kind.${known.includes(base) ? base : 'other'}`;
}
