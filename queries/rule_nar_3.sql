-- One row per narrative number hedged with a vague word (预计 …) in a report of facts.
create or replace view rule_nar_3 as
with hedged as (
    select *
    from scoped_facts
    where qualifier is not null
        and regexp_matches(qualifier, '^(' || (select text from settings where key = 'words.vague') || ')$')
)
select
    h.report_id,
    r.unit_id,
    r.year,
    'NAR-3' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    h.section,
    ts.title || '·' || h.label as location,
    '确数' as expected,
    h.qualifier as actual,
    h.qualifier || '……' || h.label || num_text(h.value) || h.unit as detail
from hedged as h
join scoped_reports as r on r.report_id = h.report_id
left join template_sections as ts on ts.key = h.section
