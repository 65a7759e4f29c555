-- One row per finding fingerprint of the city's finding list (问题清单): each finding of a current report (the `findings` view: 未整改, or 已驳回 / 已整改 as decided in review) and each finding of an earlier version that its unit's current report no longer has (已整改, taken from the newest such version), with the list's severity order.
create or replace view finding_list as
with open_findings as (
    select
        f.*,
        case v.decision when 'dismiss' then '已驳回' when 'rectify' then '已整改' else '未整改' end as status
    from findings as f
    left join finding_reviews as v on v.fingerprint = f.fingerprint
),
earlier as (
    -- From the stored findings alone: the others (TIME-2, on a missing report) have no report to join.
    select f.*, '已整改' as status
    from finding_store as f
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
