/** Việc của tôi: everything waiting for me, overdue first, each with its deadline and the time left. */
import { Layout, type Frame } from '../layout';
import { pageForTask, taskKindKey, taskPeriod } from '../task-pages';

export interface TaskRow {
  kind: string;
  dueAt: string | null;
  link: string;
}

export function TasksPage(props: { frame: Frame; tasks: TaskRow[]; now: Date }) {
  const { speech } = props.frame;
  const { t } = speech;
  const due = (task: TaskRow) => (task.dueAt ? new Date(task.dueAt) : null);
  // Overdue first (the longest overdue on top), then the soonest due, undated last.
  const sorted = [...props.tasks].sort((a, b) => (due(a)?.getTime() ?? Infinity) - (due(b)?.getTime() ?? Infinity));
  return (
    <Layout frame={props.frame} title={t('tasks.title')}>
      <h1>{t('tasks.title')}</h1>
      {sorted.length === 0 ? (
        <p>{t('tasks.empty')}</p>
      ) : (
        <ul class="tasks">
          {sorted.map((task) => {
            const at = due(task);
            const overdue = at !== null && at.getTime() < props.now.getTime();
            const page = pageForTask(task);
            return (
              <li class={overdue ? 'task overdue' : 'task'}>
                <h2>
                  {page ? <a href={page}>{t(taskKindKey(task.kind))}</a> : t(taskKindKey(task.kind))}{' '}
                  {overdue && <span class="badge">{t('tasks.overdue')}</span>}
                </h2>
                {taskPeriod(task) && <p>{speech.month(taskPeriod(task)!)}</p>}
                <p>
                  {t('tasks.dueHeader')}: {at ? speech.dateTime(at) : t('tasks.noDeadline')}
                  {at && (
                    <>
                      {' · '}
                      {speech.relative(at, props.now)}
                    </>
                  )}
                </p>
                {!page && <p>{t('tasks.noPage')}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}
