-- One row per report whose unit is in neither the units file nor any kind rule, so its kind (and deadline) was guessed.
create or replace view rule_kind_1 as
with guessed as (
    select * from report_meta where unit_id is not null and kind_rule = 'other'
)
select
    g.report_id,
    g.unit_id,
    g.year,
    'KIND-1' as rule_id,
    null as tbl,
    null as row_key,
    null as col_key,
    null as section,
    '单位类别' as location,
    cast(g.deadline as varchar) as expected,
    g.unit_id as actual,
    g.kind_note as detail
from guessed as g
