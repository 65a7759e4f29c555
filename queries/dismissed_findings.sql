-- One row per finding (fingerprint) a supervisor has dismissed as a false positive (驳回) and not reopened: scoring leaves it out.
create or replace view dismissed_findings as
select fingerprint, decided_by as dismissed_by, decided_at as dismissed_at, reason
from finding_reviews
where decision = 'dismiss'
