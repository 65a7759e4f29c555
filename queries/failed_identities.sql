-- One row per failed arithmetic identity (OFF-1, LBL-1..3) in one report, in the shape of a finding.
create or replace view failed_identities as
with failed as (
    select *
    from identity_results
    where checkable and not holds
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
    -- OFF-1 reads 一 + 二 as what （七）总计 + 四 should be; the others read the total as the sum.
    num_text(case when f.rule_id = 'OFF-1' then f.pos_sum else f.neg_sum end) as expected,
    num_text(case when f.rule_id = 'OFF-1' then f.neg_sum else f.pos_sum end) as actual,
    '相差 ' || num_text(abs(f.pos_sum - f.neg_sum)) as detail
from failed as f
join scoped_reports as r on r.report_id = f.report_id
