-- One row per finding (fingerprint) a supervisor has reviewed: the latest decision (confirm, dismiss, rectify; reopen clears it), who and when, its evidence, and the latest deadline extension.
create or replace view finding_reviews as
with events as (
    select event_id, occurred_at, actor, action, subject as fingerprint, reason, detail
    from audit_log
    where subject_kind = 'finding' and action in ('confirm', 'dismiss', 'rectify', 'reopen', 'extend')
),
decisions as (
    select *
    from events
    where action <> 'extend'
    qualify row_number() over (partition by fingerprint order by event_id desc) = 1
),
extensions as (
    select *
    from events
    where action = 'extend'
    qualify row_number() over (partition by fingerprint order by event_id desc) = 1
),
counted as (
    select fingerprint, count(*) as events from events group by fingerprint
)
select
    c.fingerprint,
    case when d.action = 'reopen' then null else d.action end as decision,
    case d.action when 'confirm' then '已确认' when 'dismiss' then '已驳回' when 'rectify' then '已整改' end as decision_zh,
    d.actor as decided_by,
    d.occurred_at as decided_at,
    d.reason,
    json_extract_string(d.detail, '$.note') as evidence_note,
    json_extract_string(d.detail, '$.url') as evidence_url,
    json_extract_string(d.detail, '$.sha256') as evidence_sha256,
    json_extract_string(d.detail, '$.file_name') as evidence_file,
    try_cast(json_extract_string(x.detail, '$.deadline') as date) as extended_deadline,
    x.reason as extend_reason,
    x.actor as extended_by,
    c.events
from counted as c
left join decisions as d on d.fingerprint = c.fingerprint
left join extensions as x on x.fingerprint = c.fingerprint
