-- One row per arithmetic identity in one report: its two sides, whether it could be checked, and whether it holds.
create or replace view identity_checks as
with tolerance as (
    select num as tol from settings where key = 'thresholds.tolerance'
),
sides as (
    select
        report_id,
        rule_id,
        ident,
        any_value(tbl) as tbl,
        any_value(ident_label) as ident_label,
        count(*) as n_terms,
        count(*) filter (where state in ('number', 'zero', 'unit')) as n_filled,
        count(*) filter (where state not in ('number', 'zero', 'unit', 'blank', 'dash', 'none')) as n_unknown,
        coalesce(sum(coalesce(value, 0)) filter (where coef > 0), 0) as pos_sum,
        coalesce(sum(coalesce(value, 0)) filter (where coef < 0), 0) as neg_sum
    from identity_terms
    group by report_id, rule_id, ident
)
select
    s.*,
    s.n_unknown = 0 and s.n_filled > 0 as checkable,
    abs(s.pos_sum - s.neg_sum) <= (select tol from tolerance) as holds
from sides as s
