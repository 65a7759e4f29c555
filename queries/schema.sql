-- The stored tables. Views come from the other files in queries/, in the order of queries/ORDER.
create table if not exists units (
    unit_id varchar primary key,      -- the unit's canonical name
    name varchar not null,
    district varchar,                 -- the 区县 it belongs to (null for the city level)
    kind varchar not null,            -- government | department | town | zone | other
    deadline_class varchar not null   -- the kind whose deadline applies (scoring.toml [deadlines])
);
-- Added later (stores made before keep working): how the kind was decided, and the units-file flags.
alter table units add column if not exists kind_rule varchar default 'other';   -- units_file | organ | town | government | zone | other
alter table units add column if not exists kind_basis varchar default '';       -- in words: the entry or pattern that chose the kind
alter table units add column if not exists own_report boolean default false;    -- the district government's own consolidated report
alter table units add column if not exists registered boolean default false;    -- listed in the units file

-- Each unit kind's name in findings and the basis of its deadline (the units file's [kinds]), reloaded by install_schema.
create table if not exists unit_kinds (
    kind varchar primary key,
    label varchar not null,
    basis varchar not null
);

create table if not exists documents (
    sha256 varchar primary key,
    file_name varchar,
    media_type varchar not null,
    size_bytes bigint not null,
    source varchar not null,          -- upload | harvest | demo
    source_url varchar,
    stored_path varchar not null,     -- raw file under the data directory, by hash
    received_at timestamp not null
);

create table if not exists reports (
    report_id varchar primary key,    -- the document's sha256: one document, one report
    sha256 varchar not null,
    unit_id varchar,
    unit_name varchar,
    year integer,
    template varchar,                 -- '2019' | '2021' | null
    title varchar,
    published date,
    version integer not null,         -- 1, 2, ... per (unit, year); the highest is current
    parser_version varchar not null,
    parsed_at timestamp not null
);

create table if not exists cells (
    report_id varchar not null,
    tbl varchar not null,             -- t2 | t3 | t4
    row_key varchar not null,
    col_key varchar not null,
    row_label varchar not null,
    col_label varchar not null,
    raw varchar not null,
    value double,
    unit varchar,
    state varchar not null,
    primary key (report_id, tbl, row_key, col_key)
);

create table if not exists sections (
    report_id varchar not null,
    seq integer not null,
    no varchar not null,
    key varchar not null,
    heading varchar not null,
    body varchar not null,
    primary key (report_id, key)
);

create table if not exists facts (
    report_id varchar not null,
    seq integer not null,
    section varchar not null,
    quantity varchar not null,
    label varchar not null,
    value double,
    unit varchar not null,
    sentence varchar not null,
    position integer not null,
    role varchar not null,
    qualifier varchar,
    primary key (report_id, seq)
);

create table if not exists parse_notes (
    report_id varchar not null,
    seq integer not null,
    code varchar not null,
    message varchar not null,
    tbl varchar,
    row_key varchar,
    primary key (report_id, seq)
);

-- What was given at ingest rather than read from the file: fields that override what the parser reads
-- (--unit, --year, --published, the upload page's corrections), which a reparse keeps, and the
-- harvest list's date (list_date), which a reparse gives the parser again.
create table if not exists report_overrides (
    report_id varchar not null,
    field varchar not null,           -- unit | year | published | list_date
    value varchar not null,
    primary key (report_id, field)
);

create table if not exists tables_found (
    report_id varchar not null,
    tbl varchar not null,
    primary key (report_id, tbl)
);

-- The rule catalog (nianbao/rules.toml with deductions from nianbao/scoring.toml), reloaded by install_schema.
create table if not exists rules (
    rule_id varchar primary key,
    title varchar not null,
    category varchar not null,        -- 完整性 | 一致性 | 及时性 | 规范性 | 内容
    severity varchar not null,        -- 否决 | 错误 | 警告 | 提示
    deduction double not null,        -- points per finding
    cap double not null,              -- most points this rule can take from one report
    basis varchar not null,
    templates varchar not null,       -- '2019,2021'
    message_template varchar not null,
    view_name varchar not null
);

-- A rule's severity and deduction on reports of one format, where they differ from the catalog's
-- (rules.toml severity_by_template, scoring.toml deduction_by_template), reloaded by install_schema.
create table if not exists rule_overrides (
    rule_id varchar not null,
    template varchar not null,
    severity varchar not null,
    deduction double not null,
    primary key (rule_id, template)
);

-- Settings (nianbao/scoring.toml flattened to section.name), reloaded by install_schema.
create table if not exists settings (
    key varchar primary key,
    text varchar,
    num double
);

-- Every cell each official template requires (from nianbao/templates), reloaded by install_schema.
create table if not exists template_cells (
    template varchar not null,
    tbl varchar not null,
    row_key varchar not null,
    col_key varchar not null,
    row_label varchar not null,
    col_label varchar not null,
    signed boolean not null,
    seq integer not null,             -- template order
    amount boolean not null default false,  -- a money amount with decimals, not a count
    primary key (template, tbl, row_key, col_key)
);
-- Stores made before the amount column existed.
alter table template_cells add column if not exists amount boolean default false;

-- The six sections of both formats (nianbao/templates/sections.toml), reloaded by install_schema.
create table if not exists template_sections (
    no varchar not null,
    key varchar primary key,
    title varchar not null,
    seq integer not null
);

-- Reports stored outside the city's scope (`nianbao ingest --outside`): checked and listed, never
-- counted in city figures, rankings or missing-report findings. Their unit is not registered in
-- `units`; its kind (for the deadline) is kept here.
create table if not exists outside_reports (
    report_id varchar primary key,
    kind varchar not null,
    stored_at timestamp not null
);

-- Soft-deleted report versions: the `reports` row moved here (as JSON, so the table follows the
-- columns of `reports`), so every view stops seeing it; cells, sections and the raw file stay, and
-- `nianbao undelete` moves it back.
create table if not exists deleted_reports (
    report_id varchar primary key,
    unit_id varchar,
    year integer,
    version integer,
    deleted_at timestamp not null,
    actor varchar not null,
    reason varchar,
    row_json varchar not null
);

-- Derived data: the findings and scores of every stored report, as the views live_findings and
-- live_scores compute them. Refreshed (queries/refresh.sql) for the reports that changed, in the
-- ingest's own transaction; dropped and rebuilt when the checks (views, catalog, settings) change.
create table if not exists finding_store (
    fingerprint varchar not null,
    report_id varchar not null,
    unit_id varchar,
    district varchar,
    year integer,
    rule_id varchar not null,
    rule_title varchar not null,
    category varchar not null,
    severity varchar not null,
    deduction double not null,
    tbl varchar,
    row_key varchar,
    col_key varchar,
    section varchar,
    location varchar,
    expected varchar,
    actual varchar,
    detail varchar,
    message varchar not null
);

-- PL-3's peer levels, kept store-wide and updated per group (kind, year, template) when reports are
-- refreshed: every member (current report of a comparable kind and its count), so that one report
-- joining or leaving a group updates its levels without reading the other reports' cells.
create table if not exists peer_levels (
    kind varchar not null,
    year integer,
    template varchar,
    tbl varchar not null,
    row_key varchar not null,
    col_key varchar not null,
    peers bigint not null,
    p75 double,
    members struct(report_id varchar, value double)[] not null
);
-- The group each report counts in as a peer (one row per peer report): where it is removed from.
create table if not exists peer_reports (
    report_id varchar primary key,
    kind varchar not null,
    year integer,
    template varchar
);
-- Scratch tables of one refresh: filled and emptied inside its transaction, so never seen committed.
create table if not exists peer_level_work (
    kind varchar not null,
    year integer,
    template varchar,
    tbl varchar not null,
    row_key varchar not null,
    col_key varchar not null,
    peers bigint not null,
    p75 double,
    members struct(report_id varchar, value double)[] not null
);
-- The rows of the reports in a refresh's scope (the scoped_* views read them): one read of each table.
create table if not exists scratch_reports as select * from reports limit 0;
create table if not exists scratch_cells as select * from cells limit 0;
create table if not exists scratch_sections as select * from sections limit 0;
create table if not exists scratch_facts as select * from facts limit 0;
create table if not exists scratch_parse_notes as select * from parse_notes limit 0;
create table if not exists scratch_tables_found as select * from tables_found limit 0;
create table if not exists identity_check_scratch (
    report_id varchar,
    rule_id varchar,
    ident varchar,
    tbl varchar,
    ident_label varchar,
    n_terms bigint,
    n_filled bigint,
    n_unknown bigint,
    pos_sum double,
    neg_sum double,
    checkable boolean,
    holds boolean
);
create table if not exists score_store (
    report_id varchar primary key,
    unit_id varchar,
    district varchar,
    kind varchar,
    year integer,
    template varchar,
    published date,
    deadline date,
    on_time boolean,
    is_current boolean,
    completeness double,
    consistency double,
    identities_checked bigint,
    identities_holding bigint,
    identities_total bigint,          -- every identity of the template; identities_checked of them could be evaluated
    cells_ambiguous bigint,           -- cells the parser could not place (values unknown)
    deductions double,
    vetoes bigint,
    errors bigint,
    warnings bigint,
    notes bigint,
    consistency_text varchar,         -- 一致性 91 %（10/11 成立；可核验 11/13）
    score double,
    verdict varchar,
    score_before_veto double
);

-- One row per (unit, year) of unit_scorecards without the day: scorecard_rows as the last refresh
-- left it (queries/refresh_scorecards.sql), read when its stamp in store_meta still fits the store.
create table if not exists scorecard_store (
    unit_id varchar,
    unit_name varchar,
    district varchar,
    kind varchar,
    own_government boolean,
    year integer,
    report_id varchar,
    template varchar,
    published date,
    deadline date,
    on_time boolean,
    completeness double,
    consistency double,
    consistency_text varchar,
    identities_checked bigint,
    identities_total bigint,
    deductions double,
    score double,
    score_before_veto double,
    verdict varchar,
    vetoes bigint,
    errors bigint,
    warnings bigint,
    expected boolean              -- a (unit, year) that must report (else only its report counts)
);

-- Which version of the checks the derived tables were computed with (see store.checks_version).
create table if not exists store_meta (
    key varchar primary key,
    value varchar not null
);

-- A finding's stable fingerprint: (canonical unit, report year, rule, location). It never includes the
-- report id or version, so a review or a rectification status carries over to the next version and
-- across reparses. `fallback` names a report that has no unit: report_meta.fingerprint_key (its title,
-- else its file name).
create or replace macro finding_fingerprint(unit_id, fallback, year, rule_id, location) as
    md5(concat_ws('|', coalesce(unit_id, fallback, ''), coalesce(cast(year as varchar), ''), rule_id, location));

-- A rule's message template with its placeholders filled in.
create or replace macro finding_message(message_template, location, expected, actual, detail) as
    replace(replace(replace(replace(message_template,
        '{location}', coalesce(location, '')),
        '{expected}', coalesce(expected, '')),
        '{actual}', coalesce(actual, '')),
        '{detail}', coalesce(detail, ''));

-- A table key as the official form names it: t2 -> 表二.
create or replace macro table_name(tbl) as
    case tbl when 't2' then '表二' when 't3' then '表三' when 't4' then '表四' else tbl end;

-- A number as a supervisor writes it: 26 not 26.0.
-- Never overflows: beyond 10^15 (or inf, nan) the number is shown as DuckDB prints a double.
create or replace macro num_text(x) as
    case
        when x is null then ''
        when abs(x) < 1e15 and x = round(x) then cast(try_cast(x as bigint) as varchar)
        when abs(x) < 1e15 then cast(round(x, 4) as varchar)
        else cast(x as varchar)
    end;

-- The audit log: one append-only row per event on a report, a finding, a round, a user or the store.
-- Nothing updates or deletes these rows; every module writes through nianbao.audit.record.
create sequence if not exists audit_seq;
create table if not exists audit_log (
    event_id bigint primary key default nextval('audit_seq'),
    occurred_at timestamp not null,
    actor varchar not null,           -- the logged-in user, the name typed in the sidebar, or cli:<os user>
    action varchar not null,          -- upload | delete | restore | reparse | confirm | dismiss | rectify | extend | round_close | ...
    subject_kind varchar not null,    -- report | finding | round | user | store | source
    subject varchar not null,         -- report_id | fingerprint | round number | user name | ...
    reason varchar,                   -- why, in the actor's words
    detail varchar                    -- JSON object with whatever else the event needs
);

-- Harvest (nianbao/harvest): one row per run of `nianbao harvest` or of the 数据采集 page's button.
create sequence if not exists harvest_run_seq;
create table if not exists harvest_runs (
    run_id bigint primary key default nextval('harvest_run_seq'),
    started_at timestamp not null,
    finished_at timestamp,
    sources_file varchar,
    actor varchar not null,
    status varchar not null           -- running | ok | partial | failed
);

-- One row per (run, source): what harvesting one source found.
create table if not exists harvest_source_runs (
    run_id bigint not null,
    source varchar not null,          -- the source's unit as the sources file names it
    unit_id varchar,                  -- its canonical unit
    found integer not null,           -- report links found
    new integer not null,             -- ... of which stored as a new report or a new version
    unchanged integer not null,       -- ... already stored with the same content
    failed integer not null,
    requests integer not null,        -- HTTP requests sent (robots.txt included)
    status varchar not null,          -- ok | failed
    failures varchar,                 -- JSON list of {url, reason}
    primary key (run_id, source)
);

-- Provenance: one row per file requested during a harvest (bodies under raw/ by sha256).
create sequence if not exists harvest_fetch_seq;
create table if not exists harvest_fetches (
    fetch_id bigint primary key default nextval('harvest_fetch_seq'),
    run_id bigint not null,
    source varchar not null,
    url varchar not null,
    final_url varchar,                -- after redirects
    role varchar not null,            -- list | detail | attachment | column
    fetched_at timestamp not null,
    http_status integer,              -- null when no answer came (refused, unreachable, timeout)
    content_type varchar,
    size_bytes bigint,
    sha256 varchar,                   -- the body kept under raw/ (on 304: the cached copy's)
    outcome varchar not null,         -- fetched | not_modified | failed
    error varchar
);

-- The conditional-request cache: the last good answer per URL (ETag, Last-Modified, content hash).
create table if not exists harvest_cache (
    url varchar primary key,
    etag varchar,
    last_modified varchar,
    sha256 varchar not null,
    content_type varchar,
    fetched_at timestamp not null
);

-- One row per report file handled in a run: new, unchanged (same extracted content) or failed.
create table if not exists harvest_items (
    run_id bigint not null,
    source varchar not null,
    url varchar not null,             -- the detail page or attachment the report was read from
    page_url varchar not null,        -- the detail page listed
    title varchar,                    -- the title on the list
    year integer,                     -- the year the list title names
    listed date,                      -- the date on the list entry
    outcome varchar not null,         -- new | unchanged | failed
    report_id varchar,
    reason varchar,
    primary key (run_id, source, url)
);

-- Column freshness: one row per monitored column per harvest; read by the rule_web_* views.
create table if not exists column_observations (
    run_id bigint not null,
    observed_at timestamp not null,
    source varchar not null,
    unit_id varchar,                  -- the source's canonical unit
    district varchar,                 -- its district
    site varchar not null,            -- the column's host
    column_url varchar not null,
    column_name varchar,
    column_type varchar not null,     -- 动态/要闻 | 通知公告 | 政策文件
    newest_item date,                 -- the newest dated item on the list (null: none found)
    items integer not null,           -- dated items seen
    status varchar not null,          -- ok | failed
    error varchar,
    primary key (run_id, column_url)
);

-- Which checks a rule belongs to: report (the annual report's score) or website (网站监测, its own verdict).
alter table rules add column if not exists scope varchar default 'report';

-- Inspection rounds (nianbao.rounds, 两周一通报): one row per closed round and revision. A closed
-- round is never updated; `nianbao round close --recompute` adds a revision and keeps the old one.
create table if not exists rounds (
    round integer not null,           -- 1, 2, ... counted from the cadence anchor (nianbao/rounds.toml)
    revision integer not null,        -- 1 on closing; +1 for each recompute
    closed_on date not null,          -- the round's closing day (a cadence boundary); the snapshot's as-of date
    report_year integer not null,     -- the report year the round covers
    closed_at timestamp not null,     -- when the snapshot was taken
    actor varchar not null,
    deadline date not null,           -- 整改时限 of the findings first named in this round (working days)
    deadline_warning varchar,         -- set when the holiday calendar did not cover the deadline
    primary key (round, revision)
);

-- Every due unit of a round as it stood: its verdict and score (from unit_scorecards) and its trend.
create table if not exists round_units (
    round integer not null,
    revision integer not null,
    unit_id varchar not null,
    unit_name varchar,
    district varchar,
    kind varchar,
    report_id varchar,                -- its current report then (null: none published)
    status varchar,                   -- 已发布 | 逾期未发布
    score double,
    verdict varchar not null,         -- 合格 | 不合格
    vetoes integer not null,
    open_findings integer not null,
    dismissed integer not null,       -- findings a supervisor dismissed (已驳回), not counted
    unit_status varchar not null,     -- 新不合格 | 仍不合格 | 连续N期不合格 | 恢复合格 | 合格
    streak integer not null,          -- rounds in a row 不合格, this one included
    escalated boolean not null,       -- streak reached [escalation] consecutive
    primary key (round, revision, unit_id)
);

-- Every finding of a round: the open ones, and those that left since the previous round and why.
create table if not exists round_findings (
    round integer not null,
    revision integer not null,
    fingerprint varchar not null,
    unit_id varchar,
    district varchar,
    year integer,
    report_id varchar,
    rule_id varchar not null,
    rule_title varchar,
    category varchar,
    severity varchar,
    location varchar,
    message varchar,
    status varchar not null,          -- 新发现 | 仍未整改 | 逾期未整改 | 已整改 | 不再适用 | 已驳回
    how varchar,                      -- 已整改: new_version | manual; 不再适用: unchanged_report
    first_round integer not null,     -- the round that first named it (this run of it)
    deadline date,                    -- its 整改时限 (extended by review, if so)
    deadline_warning varchar,
    review varchar,                   -- the supervisor's latest decision then: 已确认 | 已驳回 | 已整改 | null
    primary key (round, revision, fingerprint)
);
