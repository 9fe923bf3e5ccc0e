-- A token gets a short public id (the first 12 hex digits of its hash: the name a person-less
-- token already acts under), an expiry and a revocation. Tokens written outside the API (the dev
-- stack's) keep a null expiry; the API always sets one.
alter table tokens
  add column id text generated always as (left(hash, 12)) stored,
  add column expires_at timestamptz,
  add column revoked_at timestamptz,
  add column revoked_by text;
create unique index tokens_id on tokens (id);
create index tokens_person on tokens (person_id, created_at desc, id);
