-- One row per report whose failed identities point, unambiguously, at one cell: changing it alone would make all its failed identities hold.
create or replace view rule_sus_1 as
with checked as (
    select k.report_id, k.rule_id, k.ident, k.holds, k.pos_sum, k.neg_sum
    from identity_results as k
    where k.checkable and k.rule_id in ('OFF-1', 'LBL-1', 'LBL-2')
),
failing as materialized (
    -- a cell is a candidate only when every identity it is in fails: a report with no failed
    -- identity has none, so only the few reports with one are read cell by cell
    select distinct c.report_id from checked as c where not c.holds
),
terms as (
    select
        t.report_id, t.tbl, t.row_key, t.col_key, t.row_label, t.col_label, t.value, k.holds,
        coalesce(t.value, 0) - t.coef * (k.pos_sum - k.neg_sum) as fixed_value
    from identity_terms as t
    join checked as k on k.report_id = t.report_id and k.rule_id = t.rule_id and k.ident = t.ident
    where t.report_id in (select f.report_id from failing as f)
),
per_cell as (
    select
        t.report_id, t.tbl, t.row_key, t.col_key,
        any_value(t.row_label) as row_label,
        any_value(t.col_label) as col_label,
        any_value(t.value) as value,
        count(*) as n_member,
        count(*) filter (where not t.holds) as n_failed,
        count(distinct t.fixed_value) filter (where not t.holds) as n_values,
        min(t.fixed_value) filter (where not t.holds) as fixed_value
    from terms as t
    group by t.report_id, t.tbl, t.row_key, t.col_key
),
candidates as (
    select p.*
    from per_cell as p
    where p.n_values = 1 and p.n_failed = p.n_member and p.n_failed >= 2 and p.fixed_value >= 0
),
ranked as (
    select
        c.*,
        count(*) over (partition by c.report_id, c.n_failed) as n_tied,
        max(c.n_failed) over (partition by c.report_id) as best
    from candidates as c
)
select
    k.report_id,
    r.unit_id,
    r.year,
    'SUS-1' as rule_id,
    k.tbl,
    k.row_key,
    k.col_key,
    null as section,
    regexp_replace(k.row_label, '^.*/', '') || '·' || k.col_label as location,
    num_text(k.fixed_value) as expected,
    case when k.value is null then '空白' else num_text(k.value) end as actual,
    '改后 ' || k.n_failed || ' 个不成立的等式全部成立' as detail
from ranked as k
join scoped_reports as r on r.report_id = k.report_id
where k.n_failed = k.best and k.n_tied = 1
