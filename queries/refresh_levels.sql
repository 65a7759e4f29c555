-- The first step of a refresh (store.run_refresh), for the reports in the variable refresh_ids: PL-3's
-- peer levels of the groups they leave or join, recomputed from the levels' members (no other report's
-- cells are read); then refresh_ids grows by the peers whose PL-3 findings may change with them.
set variable scope_ids = getvariable('refresh_ids');
-- include refresh_copy.sql
delete from peer_level_work;
insert into peer_level_work by name
select * from peer_level_changes;
delete from peer_levels as l
using peer_level_work as w
where l.kind = w.kind and l.year = w.year and l.template = w.template
    and l.tbl = w.tbl and l.row_key = w.row_key and l.col_key = w.col_key;
insert into peer_levels by name
select * from peer_level_work;
delete from peer_reports where report_id in (select unnest(getvariable('refresh_ids')));
insert into peer_reports by name
select distinct report_id, kind, year, template from peer_cells;
set variable refresh_ids = (
    select coalesce(list(distinct x.report_id), [])
    from (
        select unnest(getvariable('refresh_ids')) as report_id
        union all
        select report_id from peer_dependants
    ) as x
);
delete from peer_level_work;
delete from scratch_reports;
delete from scratch_cells;
delete from scratch_sections;
delete from scratch_facts;
delete from scratch_parse_notes;
delete from scratch_tables_found;
