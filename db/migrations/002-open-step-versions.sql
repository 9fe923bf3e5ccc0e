-- The snapshot version that last replaced a workflow's open steps, so a late retry of an older
-- snapshot cannot bring back steps that are already done.
create table open_step_versions (
  workflow_id text primary key,
  version integer not null
);
