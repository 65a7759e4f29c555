-- One row per stored report: completeness %, consistency %, deductions (capped per rule), score, verdict and finding counts (as last refreshed).
create or replace view report_scores as
select * from score_store
