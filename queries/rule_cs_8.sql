-- One row per report whose 五、存在的主要问题及改进情况 is empty, just "无", or a few characters.
create or replace view rule_cs_8 as
with problems as (
    select report_id, heading, regexp_replace(body, '\s', '', 'g') as compact
    from scoped_sections
    where key = 'problems'
)
select
    p.report_id,
    r.unit_id,
    r.year,
    'CS-8' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    'problems' as section,
    '五、存在的主要问题及改进情况' as location,
    '问题及改进措施' as expected,
    case when p.compact = '' then '（空）' else p.compact end as actual,
    null as detail
from problems as p
join scoped_reports as r on r.report_id = p.report_id
where length(regexp_replace(p.compact, '^无[。.]?$', '')) < (select num from settings where key = 'thresholds.problems_min_chars')
