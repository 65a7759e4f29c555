-- Bring scorecard_store to what scorecard_rows gives now, and stamp it with scorecard_inputs'
-- fingerprint (store._refresh runs it at the end of every refresh, in the same transaction).
-- Only the rows that differ are rewritten: one report's ingest touches a handful of rows.
-- In the table's own column order, so that the comparison below is column by column.
create or replace temp table scorecard_now as select * from scorecard_store limit 0;
insert into scorecard_now by name select * from scorecard_rows;
create or replace temp table scorecard_changed as
select * from scorecard_now
except
select * from scorecard_store;
delete from scorecard_store as s
where exists (select 1 from scorecard_changed as c where c.unit_id = s.unit_id and c.year = s.year)
    or not exists (select 1 from scorecard_now as n where n.unit_id = s.unit_id and n.year = s.year);
insert into scorecard_store by name select * from scorecard_changed;
insert or replace into store_meta values ('scorecards', (select fingerprint from scorecard_inputs));
drop table scorecard_now;
drop table scorecard_changed;
