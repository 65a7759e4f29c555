-- One row per narrative total whose itemised numbers do not fit it: listed just before it in the same sentence ("A条、B条，共X条") and not adding up to it; listed after it with 其中 ("共X条，其中A条、B条") and adding up to more (or, when the list ends with 其他, to anything else); or an item's bracketed parts ("A100条（其中A1 30条、A2 20条）") adding up to more than the item (to anything else when they end with 其他). Bracketed parts are never items of the outer list.
create or replace view rule_nar_1 as
with totals as (
    select * from scoped_facts where role = 'total' and value is not null
),
items as (
    select * from scoped_facts where role = 'item'
),
parts as (
    select * from scoped_facts where role = 'child'
),
listed as (
    select
        t.report_id, t.seq as total_seq, t.section, t.label, t.value as total, t.unit,
        count(i.seq) as n_items,
        count(i.seq) filter (where i.value is null) as n_blank,
        sum(i.value) as item_sum,
        string_agg(num_text(i.value), '+' order by i.position) as terms,
        true as exact
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
),
listed_after as (
    -- "共X条，其中A条、B条": the items may leave some out, but they cannot add up to more than X,
    -- and a list that ends with 其他 leaves nothing out
    select
        t.report_id, t.seq as total_seq, t.section, t.label, t.value as total, t.unit,
        count(i.seq) as n_items,
        count(i.seq) filter (where i.value is null) as n_blank,
        sum(i.value) as item_sum,
        '其中 ' || string_agg(num_text(i.value), '+' order by i.position) as terms,
        arg_max(i.label, i.position) like '其他%' as exact
    from totals as t
    join items as i
        on i.report_id = t.report_id and i.section = t.section and i.sentence = t.sentence
        and i.unit = t.unit and i.position > t.position
        and not exists (
            select 1 from totals as t2
            where t2.report_id = t.report_id and t2.section = t.section and t2.sentence = t.sentence
                and t2.position > t.position and t2.position < i.position
        )
    where t.sentence like '%其中%'
    group by t.report_id, t.seq, t.section, t.label, t.value, t.unit
),
parents as (
    -- each bracketed part belongs to the nearest item or total before it in the same sentence
    select p.*, (
        select max(o.seq) from scoped_facts as o
        where o.report_id = p.report_id and o.section = p.section and o.sentence = p.sentence
            and o.role <> 'child' and o.position < p.position
    ) as parent_seq
    from parts as p
),
bracketed as (
    select
        o.report_id, o.seq as total_seq, o.section, o.label, o.value as total, o.unit,
        count(p.seq) as n_items,
        count(p.seq) filter (where p.value is null) as n_blank,
        sum(p.value) as item_sum,
        '括号内 ' || string_agg(num_text(p.value), '+' order by p.position) as terms,
        arg_max(p.label, p.position) like '其他%' as exact
    from parents as p
    join scoped_facts as o on o.report_id = p.report_id and o.seq = p.parent_seq and o.unit = p.unit
    where o.value is not null
    group by o.report_id, o.seq, o.section, o.label, o.value, o.unit
),
tolerance as (
    select num as tol from settings where key = 'thresholds.tolerance'
),
mismatched as (
    select l.* from listed as l cross join tolerance as x
    where l.n_items >= 2 and l.n_blank = 0 and abs(l.item_sum - l.total) > x.tol
    union all
    select l.* from listed_after as l cross join tolerance as x
    where l.n_items >= 2 and l.n_blank = 0
        and (l.item_sum > l.total + x.tol or (l.exact and abs(l.item_sum - l.total) > x.tol))
    union all
    select l.* from bracketed as l cross join tolerance as x
    where l.n_blank = 0
        and (l.item_sum > l.total + x.tol or (l.exact and l.n_items >= 2 and abs(l.item_sum - l.total) > x.tol))
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
from mismatched as l
join scoped_reports as r on r.report_id = l.report_id
left join template_sections as ts on ts.key = l.section
