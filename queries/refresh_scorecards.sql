-- Bring scorecard_store to what scorecard_rows gives now, and stamp it with scorecard_inputs'
-- fingerprint (store._refresh runs it at the end of every refresh, in the same transaction).
-- One pass over the rows computed now against the stored ones; only the (unit, year) rows that
-- differ, appeared or went are rewritten (one report's ingest touches a handful).
-- The rows are compared whole, as structs: scorecard_rows has the table's columns in its order
-- (tests/test_scorecard_store.py holds them equal).
create or replace temp table scorecard_diff as
select n as now_row, s.unit_id as stored_unit, s.year as stored_year
from scorecard_rows as n
full outer join scorecard_store as s on s.unit_id = n.unit_id and s.year = n.year
where n.unit_id is null or s.unit_id is null or n is distinct from s;
delete from scorecard_store as s
where exists (select 1 from scorecard_diff as d where d.stored_unit = s.unit_id and d.stored_year = s.year);
insert into scorecard_store by name select unnest(now_row) from scorecard_diff where now_row.unit_id is not null;
insert or replace into store_meta values ('scorecards', (select fingerprint from scorecard_inputs));
drop table scorecard_diff;
