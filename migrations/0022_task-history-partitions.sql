-- pgwf 0022: flowable.task_history partitioned by month of action_at (issue 15, item 2;
-- docs/operations.md, "Partitions"; docs/architecture.md says why only this table).
-- depends: 0021_idempotency-keys
--
-- The rows move into a new partitioned table under an ACCESS EXCLUSIVE lock of the old one (the
-- task service waits for the copy; docs/operations.md gives its speed). A month partition is made
-- for every month that holds history and for the next one (automation.maintain_partitions
-- keeps making them), all in schema pgwf_partitions, with a default partition for the rest.
-- The primary key becomes (history_id, action_at) and action_at NOT NULL (a partitioned table's
-- unique keys hold the partition key; docs/spec-deviations.md); history_id keeps its sequence,
-- so ids go on where they were. No foreign key points at task_history.

-- the owner makes a schema: the right 0001 gave it (again, for a database cloned or restored without it)
DO $grant$
BEGIN
    EXECUTE format('GRANT CREATE, CONNECT, TEMPORARY ON DATABASE %I TO pgwf_owner', current_database());
END
$grant$;

SET LOCAL ROLE pgwf_owner;

CREATE SCHEMA pgwf_partitions;
COMMENT ON SCHEMA pgwf_partitions IS 'pgwf: the monthly partitions of flowable.task_history (made and dropped by automation.maintain_partitions); reached only through the parent table';

LOCK TABLE flowable.task_history IN ACCESS EXCLUSIVE MODE;
ALTER TABLE flowable.task_history RENAME TO task_history_0020;
ALTER TABLE flowable.task_history_0020 RENAME CONSTRAINT task_history_pkey TO task_history_0020_pkey;
ALTER TABLE flowable.task_history_0020 ALTER COLUMN history_id DROP DEFAULT;
DROP INDEX flowable.idx_task_history_process, flowable.idx_task_history_action_by,
           flowable.idx_task_history_action_at, flowable.idx_task_history_task_action_at;

CREATE TABLE flowable.task_history (
    history_id BIGINT NOT NULL DEFAULT nextval('flowable.task_history_history_id_seq'::regclass),
    task_id VARCHAR(64) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    action_type VARCHAR(50) NOT NULL,
    action_by VARCHAR(50) NOT NULL,
    action_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,
    old_status VARCHAR(50),
    new_status VARCHAR(50),
    old_assignee VARCHAR(50),
    new_assignee VARCHAR(50),
    delegate_to VARCHAR(50),
    escalate_to VARCHAR(100),
    comments TEXT,
    action_data JSONB DEFAULT '{}'::jsonb,
    client_info JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT task_history_pkey PRIMARY KEY (history_id, action_at),
    CONSTRAINT chk_action_type CHECK (action_type::text = ANY ('{CREATE,CLAIM,UNCLAIM,COMPLETE,DELEGATE,ESCALATE,UPDATE,CANCEL,REASSIGN,COMMENT}'::text[]))
) PARTITION BY RANGE (action_at);
ALTER SEQUENCE flowable.task_history_history_id_seq OWNED BY flowable.task_history.history_id;

CREATE TABLE pgwf_partitions.task_history_default PARTITION OF flowable.task_history DEFAULT;
COMMENT ON TABLE pgwf_partitions.task_history_default IS 'Rows of flowable.task_history no monthly partition takes (automation.maintain_partitions moves them into the month it makes).';

-- one partition a month (UTC) from the oldest history to the next month; a row without
-- action_at (the column was nullable) keeps NULL's place at the start of time, in the default
DO $months$
DECLARE
    v_month timestamptz;
    v_last timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 month';
BEGIN
    SELECT coalesce(date_trunc('month', min(h.action_at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                    date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
    INTO v_month FROM flowable.task_history_0020 h;
    v_month := least(v_month, date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');
    -- a loop: one CREATE TABLE a month
    WHILE v_month <= v_last LOOP
        EXECUTE format('CREATE TABLE pgwf_partitions.%I PARTITION OF flowable.task_history FOR VALUES FROM (%L) TO (%L)',
                       'task_history_' || to_char(v_month AT TIME ZONE 'UTC', 'YYYY_MM'),
                       v_month, v_month + interval '1 month');
        v_month := v_month + interval '1 month';
    END LOOP;
END
$months$;

INSERT INTO flowable.task_history (history_id, task_id, process_instance_id, action_type, action_by, action_at,
                                   old_status, new_status, old_assignee, new_assignee, delegate_to, escalate_to,
                                   comments, action_data, client_info)
SELECT history_id, task_id, process_instance_id, action_type, action_by, coalesce(action_at, '-infinity'),
       old_status, new_status, old_assignee, new_assignee, delegate_to, escalate_to,
       comments, action_data, client_info
FROM flowable.task_history_0020
ORDER BY action_at, history_id;

CREATE INDEX idx_task_history_process ON flowable.task_history (process_instance_id);
CREATE INDEX idx_task_history_action_by ON flowable.task_history (action_by);
CREATE INDEX idx_task_history_action_at ON flowable.task_history USING brin (action_at);
CREATE INDEX idx_task_history_task_action_at ON flowable.task_history (task_id, action_at DESC);
COMMENT ON INDEX flowable.idx_task_history_action_at IS 'History by time (audits of a period, retention purges): BRIN over action_at, in which history is appended; an insert adds no entry.';

-- the comments of the columns move with them
DO $comments$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT a.attname, col_description('flowable.task_history_0020'::regclass, a.attnum) AS text
        FROM pg_attribute a
        WHERE a.attrelid = 'flowable.task_history_0020'::regclass AND a.attnum > 0 AND NOT a.attisdropped
          AND col_description('flowable.task_history_0020'::regclass, a.attnum) IS NOT NULL
    LOOP
        EXECUTE format('COMMENT ON COLUMN flowable.task_history.%I IS %L', r.attname, r.text);
    END LOOP;
END
$comments$;
COMMENT ON TABLE flowable.task_history IS 'Audit trail: one row per task state change (CREATE, CLAIM, UNCLAIM, COMPLETE, DELEGATE, ESCALATE, UPDATE, CANCEL, REASSIGN) or COMMENT, with the true status and assignee before and after. Partitioned by month of action_at (partitions in schema pgwf_partitions, kept by automation.maintain_partitions).';
COMMENT ON COLUMN flowable.task_history.action_at IS 'When the action happened; the partition key (a month a partition).';

-- its trigger, policies and grants went with it: pgwf db upgrade puts them back from db/ next
DROP TABLE flowable.task_history_0020 CASCADE;

RESET ROLE;
