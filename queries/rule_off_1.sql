-- One row per failed OFF-1 identity (one per column, row or group) in one report.
create or replace view rule_off_1 as
select *
from failed_identities
where rule_id = 'OFF-1'
