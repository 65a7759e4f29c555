-- One row per narrative total ("……共X条") whose itemised numbers listed just before it, in the same sentence, do not add up to it.
create or replace view rule_nar_1 as
with totals as (
    select * from facts where role = 'total' and value is not null
),
items as (
    select * from facts where role = 'item'
),
listed as (
    select
        t.report_id, t.seq as total_seq, t.section, t.label, t.value as total, t.unit,
        count(i.seq) as n_items,
        count(i.seq) filter (where i.value is null) as n_blank,
        sum(i.value) as item_sum,
        string_agg(num_text(i.value), '+' order by i.position) as terms
    from totals as t
    join items as i
        on i.report_id = t.report_id and i.section = t.section and i.sentence = t.sentence
        and i.unit = t.unit and i.position < t.position
        and not exists (
            select 1 from totals as t2
            where t2.report_id = t.report_id and t2.section = t.section and t2.sentence = t.sentence
                and t2.position > i.position and t2.position < t.position
        )
    group by t.report_id, t.seq, t.section, t.label, t.value, t.unit
)
select
    l.report_id,
    r.unit_id,
    r.year,
    'NAR-1' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    l.section,
    ts.title || '·' || l.label as location,
    num_text(l.item_sum) || l.unit as expected,
    num_text(l.total) || l.unit as actual,
    l.terms as detail
from listed as l
join reports as r on r.report_id = l.report_id
left join template_sections as ts on ts.key = l.section
where l.n_items >= 2 and l.n_blank = 0
    and abs(l.item_sum - l.total) > (select num from settings where key = 'thresholds.tolerance')
