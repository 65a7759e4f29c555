-- One row per failed LBL-1 identity (one per column, row or group) in one report.
create or replace view rule_lbl_1 as
select *
from failed_identities
where rule_id = 'LBL-1'
