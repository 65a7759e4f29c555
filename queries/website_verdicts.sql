-- One row per (unit, site) with monitored columns: columns watched and read, stale columns, and the 网站监测 verdict.
create or replace view website_verdicts as
with latest as (
    select
        o.*,
        row_number() over (partition by o.column_url order by o.observed_at desc, o.run_id desc) as nth
    from column_observations as o
),
sites as (
    select
        l.unit_id,
        any_value(l.district) as district,
        l.site,
        count(*) as columns_watched,
        count(*) filter (where l.status = 'ok') as columns_read,
        max(l.observed_at) as last_observed
    from latest as l
    where l.nth = 1
    group by l.unit_id, l.site
),
found as (
    select
        f.unit_id,
        f.site,
        count(*) filter (where f.rule_id = 'WEB-1') as stale_columns,
        count(*) filter (where f.severity = '否决') as vetoes
    from website_findings as f
    group by f.unit_id, f.site
)
select
    s.unit_id,
    s.district,
    s.site,
    s.columns_watched,
    s.columns_read,
    coalesce(f.stale_columns, 0) as stale_columns,
    coalesce(f.vetoes, 0) as vetoes,
    s.last_observed,
    case
        when s.columns_read = 0 then '未能检查'
        when coalesce(f.vetoes, 0) > 0 then '不合格'
        else '合格'
    end as verdict
from sites as s
left join found as f on f.unit_id is not distinct from s.unit_id and f.site = s.site
