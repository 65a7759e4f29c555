-- One row per implausible Table 2 number: 规章 reported by a town, or a 2019-format 上一年项目数量 beyond any real count of items.
create or replace view rule_pl_1 as
with town_rules as (
    select c.report_id, c.tbl, c.row_key, c.col_key, c.row_label, c.col_label, c.value,
        '乡镇街道不能制定规章，却填了 ' || num_text(c.value) || ' 件' as detail
    from scoped_cells as c
    join report_meta as m on m.report_id = c.report_id
    where m.kind = 'town' and c.tbl = 't2' and c.row_key = 'rules' and c.value > 0
),
many_items as (
    select c.report_id, c.tbl, c.row_key, c.col_key, c.row_label, c.col_label, c.value,
        '上一年项目数量 ' || num_text(c.value) || ' 项，远超常理（可能把办件量填成了事项数）' as detail
    from scoped_cells as c
    where c.tbl = 't2' and c.col_key = 'prev_items'
        and c.value > (select num from settings where key = 'thresholds.t2_items_max')
),
found as (
    select * from town_rules
    union all
    select * from many_items
)
select
    f.report_id,
    r.unit_id,
    r.year,
    'PL-1' as rule_id,
    f.tbl,
    f.row_key,
    f.col_key,
    null as section,
    '表二·' || f.row_label || '·' || f.col_label as location,
    null as expected,
    num_text(f.value) as actual,
    f.detail
from found as f
join scoped_reports as r on r.report_id = f.report_id
