-- Move and replacement cases: the directory details they need, confidence votes, the cases'
-- read model, the secret ballot box of replacements, and automatic proposals.

alter table people
  add column retirement_date date,
  add column position_since date,
  add column sensitive_position boolean not null default false,
  add column deferrals jsonb not null default '[]';

create table confidence_votes (
  id bigserial primary key,
  person_id text not null,
  date date not null,
  low integer not null check (low >= 0),
  total integer not null check (total >= 1 and low <= total),
  created_at timestamptz not null default now()
);
create index confidence_votes_person_idx on confidence_votes (person_id, date);

-- Snapshots written by the case workflow (same versioning rule as cycles and evaluations).
create table cases (
  id text primary key,
  workflow_id text not null,
  kind text not null,
  person_id text not null,
  status text not null,
  step text not null,
  request jsonb not null,
  parties jsonb not null,
  steps jsonb not null default '[]',
  votes jsonb not null,
  decision jsonb,
  -- Everyone the case asks (or asked) to act: they may read it and find it in their list.
  actor_ids text[] not null default '{}',
  proposal_id text,
  version integer not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index cases_person_idx on cases (person_id);
create index cases_status_idx on cases (status);
create index cases_actors_idx on cases using gin (actor_ids);

-- A replacement's secret ballot: who has voted (so nobody votes twice) and the running totals.
-- No row ever links a voter to a choice, and ballots carry no time.
create table ballot_voters (
  case_id text not null,
  voter_id text not null,
  primary key (case_id, voter_id)
);
create table ballot_totals (
  case_id text primary key,
  approve integer not null default 0,
  reject integer not null default 0
);

-- Automatic proposals waiting for HR: position changes due/overdue, replacement triggers.
-- `id` is derived from what was found, so a repeated scan finds the same proposal, not a new one.
create table proposals (
  id text primary key,
  kind text not null check (kind in ('position-change', 'replacement')),
  person_id text not null,
  level text,
  evidence jsonb not null,
  status text not null default 'open' check (status in ('open', 'dismissed', 'opened')),
  note text,
  case_id text,
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index proposals_status_idx on proposals (status, kind);
