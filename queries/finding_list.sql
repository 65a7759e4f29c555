-- One row per finding fingerprint of the city's finding list (问题清单): each open finding (未整改, the `findings` view) and each finding of an earlier version that its unit's current report no longer has (已整改, taken from the newest such version), with the list's severity order.
create or replace view finding_list as
with open_findings as (
    select f.*, '未整改' as status
    from findings as f
),
earlier as (
    select f.*, '已整改' as status
    from report_findings as f
    join reports as r on r.report_id = f.report_id
    where f.report_id not in (select c.report_id from current_reports as c)
        and f.report_id not in (select o.report_id from outside_reports as o)
        and f.fingerprint not in (select o.fingerprint from open_findings as o)
    qualify row_number() over (partition by f.fingerprint order by r.version desc, f.report_id) = 1
),
listed as (
    select * from open_findings
    union all by name
    select * from earlier
)
select
    l.*,
    case l.severity when '否决' then 1 when '错误' then 2 when '警告' then 3 when '提示' then 4 else 5 end
        as severity_rank
from listed as l
