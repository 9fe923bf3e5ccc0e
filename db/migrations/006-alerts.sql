-- What a workflow could not write because the data itself is refused (not because the database
-- is away): recorded once per workflow, version and activity, for an admin to see, instead of a
-- write retried forever.
create table alerts (
  id bigserial primary key,
  key text not null unique,
  workflow_id text,
  version integer,
  activity text not null,
  message text not null,
  created_at timestamptz not null default now()
);
create index alerts_workflow on alerts (workflow_id, version);
