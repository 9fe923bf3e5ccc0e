-- The directory, the read model of cycles and evaluations, escalations, complaints, the
-- notification outbox, idempotency records and the append-only audit trail.

create table units (
  id text primary key,
  name text not null,
  parent_id text references units (id) deferrable initially deferred,
  active boolean not null default true,
  updated_at timestamptz not null default now()
);
create index units_parent_idx on units (parent_id);

create table people (
  id text primary key,
  full_name text not null,
  unit_id text not null references units (id) deferrable initially deferred,
  role text not null check (role in ('head', 'deputy', 'staff')),
  email text,
  reviewer_id text,
  updated_at timestamptz not null default now()
);
create index people_unit_idx on people (unit_id);

create table tokens (
  hash text primary key,
  person_id text,
  roles text[] not null default '{}',
  label text,
  created_at timestamptz not null default now()
);

create table holidays (
  date date primary key,
  name text not null
);

create table leaves (
  id bigserial primary key,
  person_id text not null,
  from_date date not null,
  to_date date not null,
  created_at timestamptz not null default now()
);
create index leaves_person_idx on leaves (person_id, from_date);

create table discipline (
  id bigserial primary key,
  person_id text not null,
  date date not null,
  level text not null,
  note text,
  created_at timestamptz not null default now()
);
create index discipline_person_idx on discipline (person_id, date);

create table settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);

-- Snapshots written by workflow activities; `version` only grows so a late retry never
-- overwrites a newer state.
create table cycles (
  unit_id text not null,
  period text not null,
  workflow_id text not null,
  phase text not null,
  profile_id text not null,
  deadlines jsonb not null,
  head_id text,
  collective text[] not null default '{}',
  members jsonb not null default '[]',
  outstanding boolean not null default false,
  deliberation jsonb,
  published_at timestamptz,
  complaint_window_ends_at timestamptz,
  locked_at timestamptz,
  version integer not null,
  updated_at timestamptz not null default now(),
  primary key (unit_id, period)
);
create index cycles_period_idx on cycles (period);

create table evaluations (
  period text not null,
  person_id text not null,
  unit_id text not null,
  workflow_id text not null,
  reviewer_id text,
  status text not null,
  plan jsonb,
  self_scores jsonb,
  self_comment text,
  review_scores jsonb,
  review_comment text,
  total numeric,
  proposed_grade text,
  final_grade text,
  caps jsonb not null default '[]',
  -- The cycle snapshot version that last wrote final_grade and caps (a late retry never undoes a complaint's change).
  final_version integer not null default 0,
  missed text[] not null default '{}',
  history jsonb not null default '[]',
  deadlines jsonb not null,
  version integer not null,
  updated_at timestamptz not null default now(),
  primary key (period, person_id)
);
create index evaluations_unit_idx on evaluations (unit_id, period);
create index evaluations_reviewer_idx on evaluations (reviewer_id, period);

create table escalations (
  id text primary key,
  workflow_id text not null,
  kind text not null,
  person_id text not null,
  unit_id text not null,
  period text not null,
  level integer not null,
  target_id text not null,
  due_at timestamptz not null,
  status text not null,
  created_at timestamptz not null,
  decision jsonb,
  trail jsonb not null default '[]',
  version integer not null
);
create index escalations_target_idx on escalations (target_id, status);
create index escalations_subject_idx on escalations (period, person_id);
create index escalations_workflow_idx on escalations (workflow_id);

create table complaints (
  id text primary key,
  workflow_id text not null,
  period text not null,
  person_id text not null,
  unit_id text not null,
  reason text not null,
  status text not null,
  outcome text,
  grade text,
  rationale text,
  resolved_by text,
  due_at timestamptz not null,
  created_at timestamptz not null,
  resolved_at timestamptz,
  version integer not null
);
create index complaints_subject_idx on complaints (period, person_id);

-- What each person owes now (GET /v1/me/tasks); replaced per workflow on every snapshot.
create table open_steps (
  workflow_id text not null,
  step_key text not null,
  owner_id text not null,
  kind text not null,
  due_at timestamptz,
  link text not null,
  primary key (workflow_id, step_key, owner_id)
);
create index open_steps_owner_idx on open_steps (owner_id);

-- The snapshot version that last replaced a workflow's open steps, so a late retry of an older
-- snapshot cannot bring back steps that are already done.
create table open_step_versions (
  workflow_id text primary key,
  version integer not null
);

create table outbox (
  id bigserial primary key,
  key text not null unique,
  recipient_id text not null,
  email text,
  subject text not null,
  body text not null,
  status text not null default 'pending',
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  claimed_at timestamptz,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now()
);
create index outbox_due_idx on outbox (next_attempt_at) where status = 'pending';

create table idempotency (
  actor text not null,
  key text not null,
  method text not null,
  path text not null,
  status integer not null,
  body jsonb not null,
  created_at timestamptz not null default now(),
  primary key (actor, key)
);

create table audit (
  id bigserial primary key,
  dedupe_key text not null unique,
  at timestamptz not null,
  actor text not null,
  action text not null,
  subject text not null,
  payload jsonb not null default '{}'
);
create index audit_subject_idx on audit (subject, id);

-- The audit trail is evidence: it only grows.
create function audit_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the audit trail is append-only (% refused)', tg_op;
end $$;
create trigger audit_no_update before update or delete on audit
  for each row execute function audit_is_append_only();
create trigger audit_no_truncate before truncate on audit
  for each statement execute function audit_is_append_only();
