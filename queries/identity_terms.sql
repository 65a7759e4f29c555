-- One row per term of one arithmetic identity (OFF-1, LBL-1, LBL-2, LBL-3) in one report: identity holds when sum(coef * value) = 0.
create or replace view identity_terms as
with off_1 as (
    select report_id, 'OFF-1' as rule_id, col_key as ident, tbl, row_key, col_key,
        case when row_key in ('new', 'carried_in') then 1 else -1 end as coef
    from cells
    where tbl = 't3' and row_key in ('new', 'carried_in', 'r7_total', 'carried_out')
),
lbl_1 as (
    select report_id, 'LBL-1' as rule_id, row_key as ident, tbl, row_key, col_key,
        case when col_key = 'total' then 1 else -1 end as coef
    from cells
    where tbl = 't3'
),
lbl_2 as (
    select report_id, 'LBL-2' as rule_id, col_key as ident, tbl, row_key, col_key,
        case when row_key = 'r7_total' then 1 else -1 end as coef
    from cells
    where tbl = 't3' and row_key like 'r%'
),
lbl_3 as (
    select report_id, 'LBL-3' as rule_id, split_part(col_key, '_', 1) as ident, tbl, row_key, col_key,
        case when col_key like '%\_total' escape '\' then 1 else -1 end as coef
    from cells
    where tbl = 't4'
),
terms as (
    select * from off_1
    union all
    select * from lbl_1
    union all
    select * from lbl_2
    union all
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
    c.row_label,
    c.col_label,
    c.raw,
    c.value,
    c.state,
    case
        when t.rule_id = 'LBL-1' then '表三·' || c.row_label || '行'
        when t.rule_id = 'LBL-3' then '表四·' || regexp_replace(c.col_label, '/[^/]+$', '')
        else '表三·' || c.col_label || '列'
    end as ident_label
from terms as t
join cells as c
    on c.report_id = t.report_id and c.tbl = t.tbl and c.row_key = t.row_key and c.col_key = t.col_key
