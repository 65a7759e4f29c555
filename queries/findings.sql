-- One row per finding on a current report of the city (the newest version per unit and year; reports stored outside the city's scope left out), or on a (unit, year) with no report.
create or replace view findings as
with current_ids as (
    select report_id from current_reports
)
select f.*
from report_findings as f
where f.report_id is null
    or (f.report_id in (select c.report_id from current_ids as c)
        and f.report_id not in (select o.report_id from outside_reports as o))
