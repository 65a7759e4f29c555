-- One row per monitored column whose newest item, at its latest successful observation, is older than its type allows (栏目不更新).
create or replace view rule_web_1 as
with latest as (
    select
        o.*,
        row_number() over (partition by o.column_url order by o.observed_at desc, o.run_id desc) as nth
    from column_observations as o
    where o.status = 'ok'
),
limits as (
    select
        (select cast(num as integer) from settings where key = 'website.stale_days_dynamic') as dynamic_days,
        (select cast(num as integer) from settings where key = 'website.stale_months_notice') as notice_months,
        (select cast(num as integer) from settings where key = 'website.stale_months_policy') as policy_months
),
judged as (
    select
        l.*,
        cast(l.observed_at as date) as observed_on,
        case l.column_type
            when '通知公告' then cast(l.newest_item + to_months(m.notice_months) as date)
            when '政策文件' then cast(l.newest_item + to_months(m.policy_months) as date)
            else cast(l.newest_item + to_days(m.dynamic_days) as date)
        end as due,
        case l.column_type
            when '通知公告' then m.notice_months || ' 个月内更新'
            when '政策文件' then m.policy_months || ' 个月内更新'
            else m.dynamic_days || ' 天内更新'
        end as threshold
    from latest as l
    cross join limits as m
    where l.nth = 1 and l.newest_item is not null
)
select
    null as report_id,
    j.unit_id,
    cast(null as integer) as year,
    'WEB-1' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    null as section,
    coalesce(j.column_name, '栏目') || '（' || j.column_url || '）' as location,
    j.threshold as expected,
    '最近更新于 ' || cast(j.newest_item as varchar) || '，至 ' || cast(j.observed_on as varchar) || ' 已 '
        || date_diff('day', j.newest_item, j.observed_on) || ' 天未更新' as actual,
    j.column_type as detail,
    j.site,
    j.district,
    j.column_url,
    j.column_name,
    j.column_type,
    j.newest_item,
    j.observed_on,
    date_diff('day', j.newest_item, j.observed_on) as days_stale,
    j.threshold
from judged as j
where j.observed_on > j.due
