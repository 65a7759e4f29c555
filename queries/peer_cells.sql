-- One row per count cell of a current report of a comparable kind (thresholds.peer_kinds) in scope: what PL-3 compares with its peers of the same kind, year and format. Signed and decimal cells are not counts; a report without a year or format has no peers.
create or replace view peer_cells as
with kinds as (
    select string_split((select text from settings where key = 'thresholds.peer_kinds'), ',') as kinds
)
select m.report_id, m.kind, m.year, m.template, c.tbl, c.row_key, c.col_key, c.row_label, c.col_label,
    c.value, c.state
from report_meta as m
cross join kinds as k
join scoped_cells as c on c.report_id = m.report_id
join template_cells as tc
    on tc.template = m.template and tc.tbl = c.tbl and tc.row_key = c.row_key and tc.col_key = c.col_key
where m.is_current and list_contains(k.kinds, m.kind) and m.year is not null and m.template is not null
    and not tc.signed and not tc.amount and c.state in ('number', 'zero')
