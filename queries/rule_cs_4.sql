-- One row per Table 2 cell with a unit written into it, or a 万元 amount so large it looks like yuan.
create or replace view rule_cs_4 as
with unit_in_cell as (
    select c.report_id, c.tbl, c.row_key, c.col_key, c.row_label, c.col_label, c.raw,
        case
            when c.col_key = 'fee_amount' then '本栏单位为万元，单元格内却写了单位“' || c.unit || '”'
            when c.col_key = 'proc_amount' then '单元格内写了单位“' || c.unit || '”（该栏表头未规定单位，数字与单位混写无法汇总比较）'
            else '计数栏内写了单位“' || c.unit || '”'
        end as detail
    from scoped_cells as c
    where c.state = 'unit'
),
large_fee as (
    select c.report_id, c.tbl, c.row_key, c.col_key, c.row_label, c.col_label, c.raw,
        '收费金额 ' || num_text(c.value) || ' 万元对' ||
            case m.kind when 'town' then '乡镇街道' when 'government' then '人民政府' else '部门' end ||
            '明显偏大，疑似按“元”填报' as detail
    from scoped_cells as c
    join report_meta as m on m.report_id = c.report_id
    where c.col_key = 'fee_amount' and c.state = 'number'
        and c.value > (
            select s.num from settings as s
            where s.key = 'thresholds.fee_wanyuan_' || case when m.kind in ('town', 'government') then m.kind else 'department' end
        )
),
found as (
    select * from unit_in_cell
    union all
    select * from large_fee
)
select
    f.report_id,
    r.unit_id,
    r.year,
    'CS-4' as rule_id,
    f.tbl,
    f.row_key,
    f.col_key,
    null as section,
    '表二·' || f.row_label || '·' || f.col_label as location,
    null as expected,
    f.raw as actual,
    f.detail
from found as f
join scoped_reports as r on r.report_id = f.report_id
