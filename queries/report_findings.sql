-- One row per finding of one rule on one stored report (every version), or on a (unit, year) with no report.
create or replace view report_findings as
with stored as (
    select * from finding_store
),
missing as (
    select * from missing_findings
)
select * from stored
union all by name
select * from missing
