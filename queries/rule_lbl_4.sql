-- One row per count cell holding a negative number (where the template does not allow one) or a number that is not whole (DOMAIN §2.2 LBL-4: counts are non-negative integers; money amounts may have decimals).
create or replace view rule_lbl_4 as
with counts as (
    select c.*, tc.signed
    from scoped_cells as c
    join scoped_reports as r on r.report_id = c.report_id
    join template_cells as tc
        on tc.template = r.template and tc.tbl = c.tbl and tc.row_key = c.row_key and tc.col_key = c.col_key
    where c.value is not null and not coalesce(tc.amount, false)
),
bad as (
    select
        n.*,
        '非负整数' as expected,
        case
            when n.value < 0 and not n.signed and n.value <> round(n.value) then '负数、非整数'
            when n.value < 0 and not n.signed then '负数'
            else '非整数'
        end as detail
    from counts as n
    where (n.value < 0 and not n.signed) or n.value <> round(n.value)
)
select
    n.report_id,
    r.unit_id,
    r.year,
    'LBL-4' as rule_id,
    n.tbl,
    n.row_key,
    n.col_key,
    null as section,
    table_name(n.tbl)
        || '·' || n.row_label || '·' || n.col_label as location,
    n.expected,
    num_text(n.value) as actual,
    n.detail
from bad as n
join scoped_reports as r on r.report_id = n.report_id
