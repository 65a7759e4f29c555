-- One row per (unit, site) with at least website.veto_stale_columns stale monitored columns: the national veto 栏目不更新.
create or replace view rule_web_2 as
with stale as (
    select
        w.unit_id,
        any_value(w.district) as district,
        w.site,
        count(*) as n_stale,
        max(w.observed_on) as observed_on,
        max(w.days_stale) as days_stale,
        string_agg(coalesce(w.column_name, w.column_url), '、' order by w.column_url) as names
    from rule_web_1 as w
    group by w.unit_id, w.site
),
veto as (
    select cast(num as integer) as at_least from settings where key = 'website.veto_stale_columns'
)
select
    null as report_id,
    s.unit_id,
    cast(null as integer) as year,
    'WEB-2' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    null as section,
    '网站 ' || s.site as location,
    '达到 ' || v.at_least || ' 个' as expected,
    cast(s.n_stale as varchar) as actual,
    s.names as detail,
    s.site,
    s.district,
    cast(null as varchar) as column_url,
    cast(null as varchar) as column_name,
    cast(null as varchar) as column_type,
    cast(null as date) as newest_item,
    s.observed_on,
    s.days_stale,
    '少于 ' || v.at_least || ' 个栏目不更新' as threshold
from stale as s
cross join veto as v
where s.n_stale >= v.at_least
