-- One row per report id whose stored findings and scores are out of date: new (or stored again), gone from the store, or of the same unit as one of those in the same year (its other versions: which one is current) or the next year (rules that compare with last year).
create or replace view stale_reports as
with new as (
    select r.report_id, r.unit_id, r.year
    from reports as r
    where not exists (select 1 from score_store as s where s.report_id = r.report_id)
),
gone as (
    select s.report_id, s.unit_id, s.year
    from score_store as s
    where not exists (select 1 from reports as r where r.report_id = s.report_id)
    union
    select f.report_id, f.unit_id, f.year
    from finding_store as f
    where not exists (select 1 from reports as r where r.report_id = f.report_id)
),
changed as (
    select * from new
    union
    select * from gone
),
dependent as (
    select r.report_id
    from reports as r
    join changed as c on c.unit_id = r.unit_id and (r.year = c.year or r.year = c.year + 1)
)
select report_id from changed
union
select report_id from dependent
