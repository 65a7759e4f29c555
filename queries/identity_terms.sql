-- One row per term of one arithmetic identity (OFF-1, LBL-1, LBL-2, LBL-3) in one report: identity holds when sum(coef * value) = 0. Every cell the report's template requires is a term, read or not (a cell the parser did not store is 'missing', so its identity is 未核验).
create or replace view identity_terms as
with required as (
    select
        r.report_id,
        tc.tbl,
        tc.row_key,
        tc.col_key,
        coalesce(c.row_label, tc.row_label) as row_label,
        coalesce(c.col_label, tc.col_label) as col_label,
        coalesce(c.raw, '') as raw,
        c.value,
        coalesce(c.state, 'missing') as state
    from scoped_reports as r
    join template_cells as tc on tc.template = r.template and tc.tbl in ('t3', 't4')
    left join scoped_cells as c
        on c.report_id = r.report_id and c.tbl = tc.tbl and c.row_key = tc.row_key and c.col_key = tc.col_key
),
off_1 as (
    select *, 'OFF-1' as rule_id, col_key as ident,
        case when row_key in ('new', 'carried_in') then 1 else -1 end as coef
    from required
    where tbl = 't3' and row_key in ('new', 'carried_in', 'r7_total', 'carried_out')
),
lbl_1 as (
    select *, 'LBL-1' as rule_id, row_key as ident,
        case when col_key = 'total' then 1 else -1 end as coef
    from required
    where tbl = 't3'
),
lbl_2 as (
    select *, 'LBL-2' as rule_id, col_key as ident,
        case when row_key = 'r7_total' then 1 else -1 end as coef
    from required
    where tbl = 't3' and row_key like 'r%'
),
lbl_3 as (
    select *, 'LBL-3' as rule_id, split_part(col_key, '_', 1) as ident,
        case when col_key like '%\_total' escape '\' then 1 else -1 end as coef
    from required
    where tbl = 't4'
),
terms as (
    select * from off_1
    union all by name
    select * from lbl_1
    union all by name
    select * from lbl_2
    union all by name
    select * from lbl_3
)
select
    t.report_id,
    t.rule_id,
    t.ident,
    t.tbl,
    t.row_key,
    t.col_key,
    t.coef,
    t.row_label,
    t.col_label,
    t.raw,
    t.value,
    t.state,
    case
        when t.rule_id = 'LBL-1' then '表三·' || t.row_label || '行'
        when t.rule_id = 'LBL-3' then '表四·' || regexp_replace(t.col_label, '/[^/]+$', '')
        else '表三·' || t.col_label || '列'
    end as ident_label
from terms as t
