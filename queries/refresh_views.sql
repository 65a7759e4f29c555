-- The refresh's own schema (refresh_views), installed with the views (store.install_refresh_views).
-- During a refresh the rules read only the scope's scratch copies. Here each source the rules read
-- is that copy and nothing else, and store.install_refresh_views creates every view the refresh
-- reads (live_findings, live_scores, identity_checks and all they use) again in this schema, where
-- their names resolve first. The main schema's views serve pages and live reads, and also read the
-- whole tables outside a refresh; each rule there carries both branches, which DuckDB binds and
-- plans on every refresh (most of a one-report refresh's cost). Here they are plain tables.
-- The scope's rows of report_meta, filled once per refresh step (queries/refresh.sql): is_current
-- there is computed over every stored version, not only the scope's.
create table if not exists main.scratch_report_meta as select * from main.report_meta limit 0;
create schema if not exists refresh_views;
create or replace view refresh_views.scoped_reports as select * from main.scratch_reports;
create or replace view refresh_views.scoped_cells as select * from main.scratch_cells;
create or replace view refresh_views.scoped_sections as select * from main.scratch_sections;
create or replace view refresh_views.scoped_facts as select * from main.scratch_facts;
create or replace view refresh_views.scoped_parse_notes as select * from main.scratch_parse_notes;
create or replace view refresh_views.scoped_tables_found as select * from main.scratch_tables_found;
create or replace view refresh_views.identity_results as select * from main.identity_check_scratch;
create or replace view refresh_views.report_meta as select * from main.scratch_report_meta;
-- The rules join current_reports only for the previous year of a report in scope, whose versions
-- are all in scope (queries/refresh.sql): the current ones among the scope's rows.
create or replace view refresh_views.current_reports as
select r.*
from main.scratch_reports as r
where r.report_id in (select m.report_id from main.scratch_report_meta as m where m.is_current);
