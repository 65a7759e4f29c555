-- Recompute the stored findings and scores (finding_store, score_store) of the stale reports only.
-- Run by store.refresh inside the caller's transaction; the list of ids is bound once, as a constant,
-- so that every rule view is filtered on it (not computed for the whole store).
-- A report gone from `reports` (deleted) only has its rows removed: its cells stay for a restore.
set variable refresh_ids = (select coalesce(list(report_id), []) from stale_reports);
set variable live_ids = (
    select coalesce(list(report_id), []) from reports where list_contains(getvariable('refresh_ids'), report_id)
);
delete from finding_store where list_contains(getvariable('refresh_ids'), report_id);
insert into finding_store by name
select * from live_findings where list_contains(getvariable('live_ids'), report_id);
delete from score_store where list_contains(getvariable('refresh_ids'), report_id);
insert into score_store by name
select * from live_scores where list_contains(getvariable('live_ids'), report_id);
