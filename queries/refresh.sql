-- Recompute the stored findings and scores (finding_store, score_store) of the reports in the variable
-- refresh_ids (one chunk of them: store.run_refresh binds it, after refresh_levels.sql). The rows of
-- scope_ids (these reports and the same units' previous year, the cross-year rules' other side) are
-- copied once into scratch tables, and the rules are read in refresh_views (queries/refresh_views.sql),
-- where they see those copies alone, so nothing is computed for the whole store.
-- Reads name main.<table>: in the instant check that is the union of the store and the pending rows
-- (its pending tables come first on the search path, for the writes). A report gone from `reports` (deleted) only has its rows removed: its cells stay for a restore.
set variable live_ids = (
    select coalesce(list(report_id), [])
    from main.reports
    where report_id in (select unnest(getvariable('refresh_ids')))
);
set variable scope_ids = (
    select coalesce(list(distinct x.report_id), [])
    from (
        select unnest(getvariable('live_ids')) as report_id
        union all
        select p.report_id
        from main.reports as p
        join main.reports as r on r.unit_id = p.unit_id and p.year = r.year - 1
        where r.report_id in (select unnest(getvariable('live_ids')))
    ) as x
);
-- include refresh_copy.sql
delete from scratch_report_meta;
insert into scratch_report_meta by name
select * from report_meta;
-- From here the rules are read in refresh_views (queries/refresh_views.sql), bound to the copies alone.
delete from identity_check_scratch;
insert into identity_check_scratch by name
select * from refresh_views.identity_checks;
delete from finding_store where report_id in (select unnest(getvariable('refresh_ids')));
insert into finding_store by name
select * from refresh_views.live_findings where report_id in (select unnest(getvariable('live_ids')));
delete from score_store where report_id in (select unnest(getvariable('refresh_ids')));
insert into score_store by name
select * from refresh_views.live_scores where report_id in (select unnest(getvariable('live_ids')));
delete from identity_check_scratch;
delete from scratch_report_meta;
delete from scratch_reports;
delete from scratch_cells;
delete from scratch_sections;
delete from scratch_facts;
delete from scratch_parse_notes;
delete from scratch_tables_found;
