-- One row per monitored column: its latest check, its newest item as last read, the days since, and whether WEB-1 calls it stale.
create or replace view column_freshness as
with latest as (
    select
        o.*,
        row_number() over (partition by o.column_url order by o.observed_at desc, o.run_id desc) as nth
    from column_observations as o
),
last_read as (
    select
        o.column_url,
        o.column_name,
        o.newest_item,
        row_number() over (partition by o.column_url order by o.observed_at desc, o.run_id desc) as nth
    from column_observations as o
    where o.status = 'ok'
)
select
    l.source,
    l.unit_id,
    l.district,
    l.site,
    l.column_url,
    coalesce(l.column_name, k.column_name) as column_name,
    l.column_type,
    l.observed_at as last_checked,
    l.status,
    l.error,
    k.newest_item,
    date_diff('day', k.newest_item, current_date) as days_since_update,
    w.rule_id is not null as stale,
    w.days_stale,
    w.threshold
from latest as l
left join last_read as k on k.column_url = l.column_url and k.nth = 1
left join rule_web_1 as w on w.column_url = l.column_url
where l.nth = 1
