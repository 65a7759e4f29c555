-- One row per failed OFF-1 identity (one per column, row or group) in one report.
create or replace view rule_off_1 as
with failed as (
    select *
    from identity_checks
    where rule_id = 'OFF-1' and checkable and not holds
)
select
    f.report_id,
    r.unit_id,
    r.year,
    f.rule_id,
    f.tbl,
    case when f.rule_id = 'LBL-1' then f.ident end as row_key,
    case when f.rule_id in ('OFF-1', 'LBL-2') then f.ident end as col_key,
    null as section,
    f.ident_label as location,
    num_text(f.pos_sum) as expected,
    num_text(f.neg_sum) as actual,
    '相差 ' || num_text(abs(f.pos_sum - f.neg_sum)) as detail
from failed as f
join reports as r on r.report_id = f.report_id
