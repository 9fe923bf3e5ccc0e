-- The audit trail made tamper-evident: every row carries the hash of the row before it and its
-- own, so an edited, removed or inserted row breaks the chain (`npm run audit:verify` names the
-- first broken row). The table belongs to `audit_owner`, a role nobody logs in as; the API's user
-- (in the role `audit_writer`) may read it and append through `audit_append` alone.

-- Rows written by an older worker during the upgrade would miss the chain: nobody writes meanwhile.
lock table audit in exclusive mode;

alter table audit add column prev_hash text, add column hash text;

-- What a row's hash covers, as one unambiguous text: every column but the hashes, the instant in
-- UTC with microseconds, the payload as jsonb prints it (keys in jsonb's own order).
create function audit_row_text(a_id bigint, a_dedupe_key text, a_at timestamptz, a_actor text, a_action text,
                               a_subject text, a_payload jsonb) returns text language sql stable as $$
  select jsonb_build_array(a_id, a_dedupe_key, to_char(a_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                           a_actor, a_action, a_subject, a_payload)::text
$$;

create function audit_row_hash(prev text, row_text text) returns text language sql immutable as $$
  select encode(sha256(convert_to(prev || E'\n' || row_text, 'UTF8')), 'hex')
$$;

-- Existing rows join the chain in id order, the first after sixty-four zeros.
alter table audit disable trigger audit_no_update;
do $$
declare
  r record;
  prev text := repeat('0', 64);
begin
  for r in select * from audit order by id loop
    update audit set prev_hash = prev,
      hash = audit_row_hash(prev, audit_row_text(r.id, r.dedupe_key, r.at, r.actor, r.action, r.subject, r.payload))
    where id = r.id
    returning hash into prev;
  end loop;
end $$;
alter table audit enable trigger audit_no_update;
alter table audit alter column prev_hash set not null, alter column hash set not null;

-- The id is given under the chain's lock, not by the column's default: ids then grow in the order
-- rows commit, and each new row sees the one before it. Two writers take turns (the lock is held
-- to the end of the writer's transaction), so the chain never forks.
alter table audit alter column id drop default;
create function audit_chain() returns trigger language plpgsql as $$
declare
  last_hash text;
begin
  -- A snapshot older than the lock would not see the last committed row and would fork the chain.
  if current_setting('transaction_isolation') <> 'read committed' then
    raise exception 'the audit trail is written from read committed transactions only';
  end if;
  perform pg_advisory_xact_lock(7272028);
  new.id := nextval(pg_get_serial_sequence('audit', 'id'));
  select hash into last_hash from audit order by id desc limit 1;
  new.prev_hash := coalesce(last_hash, repeat('0', 64));
  new.hash := audit_row_hash(new.prev_hash,
    audit_row_text(new.id, new.dedupe_key, new.at, new.actor, new.action, new.subject, new.payload));
  return new;
end $$;
create trigger audit_chain before insert on audit for each row execute function audit_chain();

-- The one way in for the API: appends a row; with skip_duplicate, a row already under the key is
-- left as it is. Returns whether a row was written.
create function audit_append(p_dedupe_key text, p_at timestamptz, p_actor text, p_action text, p_subject text,
                             p_payload jsonb, p_skip_duplicate boolean) returns boolean
language plpgsql security definer set search_path from current as $$
declare
  written int;
begin
  if p_skip_duplicate then
    insert into audit (dedupe_key, at, actor, action, subject, payload)
    values (p_dedupe_key, coalesce(p_at, now()), p_actor, p_action, p_subject, coalesce(p_payload, '{}'))
    on conflict (dedupe_key) do nothing;
  else
    insert into audit (dedupe_key, at, actor, action, subject, payload)
    values (p_dedupe_key, coalesce(p_at, now()), p_actor, p_action, p_subject, coalesce(p_payload, '{}'));
  end if;
  get diagnostics written = row_count;
  return written > 0;
end $$;

-- The roles, when the connecting user may create them (else an operator does: docs/operations.md).
-- Roles belong to the cluster: another database may have made them first.
do $$
declare
  me text := current_user;
  super boolean;
  may_create boolean;
  r text;
begin
  select rolsuper, rolsuper or rolcreaterole into strict super, may_create from pg_roles where rolname = me;
  if not may_create then
    raise notice '% may not create roles: the audit table stays %''s until an operator hands it over (docs/operations.md)', me, me;
    return;
  end if;
  foreach r in array array['audit_owner', 'audit_writer'] loop
    if not exists (select 1 from pg_roles where rolname = r) then
      begin
        execute format('create role %I nologin', r);
      exception when duplicate_object or unique_violation then null;
      end;
    end if;
  end loop;
  -- A role that is not a superuser must be a member of the new owner to hand it the table; it
  -- stops being one at the end of this block.
  if not super then
    begin
      execute format('grant audit_owner to %I', me);
    exception when insufficient_privilege then
      raise notice 'audit_owner was created by another role: the audit table stays %''s until an operator hands it over (docs/operations.md)', me;
      return;
    end;
  end if;
  alter table audit owner to audit_owner;
  alter function audit_chain() owner to audit_owner;
  alter function audit_is_append_only() owner to audit_owner;
  alter function audit_row_text(bigint, text, timestamptz, text, text, text, jsonb) owner to audit_owner;
  alter function audit_row_hash(text, text) owner to audit_owner;
  alter function audit_append(text, timestamptz, text, text, text, jsonb, boolean) owner to audit_owner;
  revoke all on audit from public;
  grant select on audit to audit_writer;
  revoke all on function audit_append(text, timestamptz, text, text, text, jsonb, boolean) from public;
  grant execute on function audit_append(text, timestamptz, text, text, text, jsonb, boolean) to audit_writer;
  -- The connecting user is the API's unless an operator grants audit_writer to another one.
  execute format('grant audit_writer to %I', me);
  if not super then
    execute format('revoke audit_owner from %I', me);
  end if;
end $$;
