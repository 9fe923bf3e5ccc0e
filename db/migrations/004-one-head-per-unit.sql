-- A unit has at most one head, whoever writes the directory: a check that reads before it
-- writes is not enough on its own (two concurrent uploads both passed it). Deferred to commit
-- so that one upload (or one replacement) may hand the post from one person to another in
-- whatever order it writes them; an exclusion constraint, because a unique index cannot be both
-- partial and deferrable.
do $$
declare dup text;
begin
  select string_agg(unit_id, ', ') into dup from (select unit_id from people where role = 'head' group by unit_id having count(*) > 1) d;
  if dup is not null then
    raise exception 'units with more than one head: %; give each one head before migrating', dup;
  end if;
end $$;
alter table people add constraint people_one_head_per_unit
  exclude using btree (unit_id with =) where (role = 'head') deferrable initially deferred;
