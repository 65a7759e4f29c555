-- Part of both refresh scripts (their `-- include refresh_copy.sql` line): the rows of the reports in the
-- variable scope_ids, read once from each base table into its scratch copy, which the scoped_* views serve.
delete from scratch_reports;
insert into scratch_reports
select * from main.reports where report_id in (select unnest(getvariable('scope_ids')));
delete from scratch_cells;
insert into scratch_cells
select * from main.cells where report_id in (select unnest(getvariable('scope_ids')));
delete from scratch_sections;
insert into scratch_sections
select * from main.sections where report_id in (select unnest(getvariable('scope_ids')));
delete from scratch_facts;
insert into scratch_facts
select * from main.facts where report_id in (select unnest(getvariable('scope_ids')));
delete from scratch_parse_notes;
insert into scratch_parse_notes
select * from main.parse_notes where report_id in (select unnest(getvariable('scope_ids')));
delete from scratch_tables_found;
insert into scratch_tables_found
select * from main.tables_found where report_id in (select unnest(getvariable('scope_ids')));
