-- A person has at most one case in progress. `POST /v1/cases` writes the case's first row before
-- it starts the workflow, so two requests for one person cannot both get past this index.
do $$
declare dup text;
begin
  select string_agg(person_id, ', ') into dup from (select person_id from cases where status in ('open', 'approved') group by person_id having count(*) > 1) d;
  if dup is not null then
    raise exception 'people with more than one case in progress: %; withdraw all but one before migrating', dup;
  end if;
end $$;
create unique index cases_one_in_progress_idx on cases (person_id) where status in ('open', 'approved');
