-- One row per report and Table 2 （一） row (规章, 规范性文件): its columns side by side, a value only where the cell holds a number.
create or replace view table2_documents as
select
    c.report_id,
    r.unit_id,
    r.year,
    r.template,
    c.row_key,
    any_value(c.row_label) as row_label,
    max(c.value) filter (where c.col_key = 'made' and c.state in ('number', 'zero')) as made,
    max(c.value) filter (where c.col_key = 'published' and c.state in ('number', 'zero')) as published,
    max(c.value) filter (where c.col_key = 'total' and c.state in ('number', 'zero')) as total,
    max(c.value) filter (where c.col_key = 'issued' and c.state in ('number', 'zero')) as issued,
    max(c.value) filter (where c.col_key = 'repealed' and c.state in ('number', 'zero')) as repealed,
    max(c.value) filter (where c.col_key = 'in_force' and c.state in ('number', 'zero')) as in_force
from scoped_cells as c
join scoped_reports as r on r.report_id = c.report_id
where c.tbl = 't2' and c.row_key in ('rules', 'normative')
group by c.report_id, r.unit_id, r.year, r.template, c.row_key
