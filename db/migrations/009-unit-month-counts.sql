-- Counts of each unit's month for the oversight reports (GET /v1/reports/...): kept by triggers
-- on every write of the evaluations and escalations read model, so a report over a whole city
-- reads one row per unit instead of every person's month (docs/benchmarks.md, reports).

create table unit_month_counts (
  unit_id text not null,
  period text not null,
  members integer not null default 0,
  plan_done integer not null default 0,
  self_done integer not null default 0,
  review_done integer not null default 0,
  plan_missed integer not null default 0,
  self_missed integer not null default 0,
  review_missed integer not null default 0,
  -- Missed and still not done.
  plan_overdue integer not null default 0,
  self_overdue integer not null default 0,
  review_overdue integer not null default 0,
  grade_a integer not null default 0,
  grade_b integer not null default 0,
  grade_c integer not null default 0,
  grade_d integer not null default 0,
  escalations integer not null default 0,
  escalations_open integer not null default 0,
  primary key (unit_id, period)
);

-- TG_ARGV[0] is +1 for the rows a statement wrote, -1 for the rows it replaced or removed; both
-- arrive as the transition table `changed_rows`, so one statement costs one upsert per unit.
create function unit_month_counts_from_evaluations() returns trigger language plpgsql as $$
declare
  s integer := tg_argv[0]::integer;
begin
  insert into unit_month_counts as t (unit_id, period, members, plan_done, self_done, review_done, plan_missed,
    self_missed, review_missed, plan_overdue, self_overdue, review_overdue, grade_a, grade_b, grade_c, grade_d)
  select unit_id, period, s * count(*),
    s * count(*) filter (where plan is not null),
    s * count(*) filter (where self_scores is not null),
    s * count(*) filter (where review_scores is not null),
    s * count(*) filter (where 'plan' = any (missed)),
    s * count(*) filter (where 'self-assessment' = any (missed)),
    s * count(*) filter (where 'review' = any (missed)),
    s * count(*) filter (where 'plan' = any (missed) and plan is null),
    s * count(*) filter (where 'self-assessment' = any (missed) and self_scores is null),
    s * count(*) filter (where 'review' = any (missed) and review_scores is null),
    s * count(*) filter (where final_grade = 'A'),
    s * count(*) filter (where final_grade = 'B'),
    s * count(*) filter (where final_grade = 'C'),
    s * count(*) filter (where final_grade = 'D')
  -- One order for every writer, so two statements touching several units never wait on each other in a cycle.
  from changed_rows group by unit_id, period order by unit_id, period
  on conflict (unit_id, period) do update set
    members = t.members + excluded.members, plan_done = t.plan_done + excluded.plan_done,
    self_done = t.self_done + excluded.self_done, review_done = t.review_done + excluded.review_done,
    plan_missed = t.plan_missed + excluded.plan_missed, self_missed = t.self_missed + excluded.self_missed,
    review_missed = t.review_missed + excluded.review_missed, plan_overdue = t.plan_overdue + excluded.plan_overdue,
    self_overdue = t.self_overdue + excluded.self_overdue, review_overdue = t.review_overdue + excluded.review_overdue,
    grade_a = t.grade_a + excluded.grade_a, grade_b = t.grade_b + excluded.grade_b,
    grade_c = t.grade_c + excluded.grade_c, grade_d = t.grade_d + excluded.grade_d;
  return null;
end $$;

create trigger evaluations_counts_insert after insert on evaluations referencing new table as changed_rows
  for each statement execute function unit_month_counts_from_evaluations('1');
create trigger evaluations_counts_update_old after update on evaluations referencing old table as changed_rows
  for each statement execute function unit_month_counts_from_evaluations('-1');
create trigger evaluations_counts_update_new after update on evaluations referencing new table as changed_rows
  for each statement execute function unit_month_counts_from_evaluations('1');
create trigger evaluations_counts_delete after delete on evaluations referencing old table as changed_rows
  for each statement execute function unit_month_counts_from_evaluations('-1');

create function unit_month_counts_from_escalations() returns trigger language plpgsql as $$
declare
  s integer := tg_argv[0]::integer;
begin
  insert into unit_month_counts as t (unit_id, period, escalations, escalations_open)
  select unit_id, period, s * count(*), s * count(*) filter (where status = 'open')
  from changed_rows group by unit_id, period order by unit_id, period
  on conflict (unit_id, period) do update set
    escalations = t.escalations + excluded.escalations,
    escalations_open = t.escalations_open + excluded.escalations_open;
  return null;
end $$;

create trigger escalations_counts_insert after insert on escalations referencing new table as changed_rows
  for each statement execute function unit_month_counts_from_escalations('1');
create trigger escalations_counts_update_old after update on escalations referencing old table as changed_rows
  for each statement execute function unit_month_counts_from_escalations('-1');
create trigger escalations_counts_update_new after update on escalations referencing new table as changed_rows
  for each statement execute function unit_month_counts_from_escalations('1');
create trigger escalations_counts_delete after delete on escalations referencing old table as changed_rows
  for each statement execute function unit_month_counts_from_escalations('-1');

-- Months already in the read model are counted once here; the triggers keep them from now on.
insert into unit_month_counts (unit_id, period, members, plan_done, self_done, review_done, plan_missed, self_missed,
  review_missed, plan_overdue, self_overdue, review_overdue, grade_a, grade_b, grade_c, grade_d)
select unit_id, period, count(*),
  count(*) filter (where plan is not null),
  count(*) filter (where self_scores is not null),
  count(*) filter (where review_scores is not null),
  count(*) filter (where 'plan' = any (missed)),
  count(*) filter (where 'self-assessment' = any (missed)),
  count(*) filter (where 'review' = any (missed)),
  count(*) filter (where 'plan' = any (missed) and plan is null),
  count(*) filter (where 'self-assessment' = any (missed) and self_scores is null),
  count(*) filter (where 'review' = any (missed) and review_scores is null),
  count(*) filter (where final_grade = 'A'),
  count(*) filter (where final_grade = 'B'),
  count(*) filter (where final_grade = 'C'),
  count(*) filter (where final_grade = 'D')
from evaluations group by unit_id, period;

insert into unit_month_counts as t (unit_id, period, escalations, escalations_open)
select unit_id, period, count(*), count(*) filter (where status = 'open') from escalations group by unit_id, period
on conflict (unit_id, period) do update set escalations = excluded.escalations, escalations_open = excluded.escalations_open;

create index complaints_unit_idx on complaints (unit_id, period);
