-- A unit's targets for a month ('YYYY-MM') or a year ('YYYY'), with their weighted completion
-- share (domain/targets.ts) kept beside them so the oversight report reads one number per unit.
create table unit_targets (
  unit_id text not null,
  period text not null check (period ~ '^\d{4}(-(0[1-9]|1[0-2]))?$'),
  targets jsonb not null,
  completion double precision check (completion between 0 and 1),
  updated_by text not null,
  updated_at timestamptz not null default now(),
  primary key (unit_id, period)
);

-- Talent proposals (sustained excellent results) join the automatic proposals for HR.
alter table proposals drop constraint proposals_kind_check;
alter table proposals add constraint proposals_kind_check check (kind in ('position-change', 'replacement', 'talent'));
create index proposals_person_kind_idx on proposals (person_id, kind);
