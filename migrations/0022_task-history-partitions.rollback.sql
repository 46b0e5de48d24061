-- Undo pgwf 0022: flowable.task_history is one plain table again, primary key (history_id),
-- action_at nullable; its rows (every partition's) move back under an ACCESS EXCLUSIVE lock and
-- schema pgwf_partitions goes. Rows the maintenance dropped with their partitions stay gone.
SET LOCAL ROLE pgwf_owner;

LOCK TABLE flowable.task_history IN ACCESS EXCLUSIVE MODE;
ALTER TABLE flowable.task_history RENAME TO task_history_0022;
ALTER TABLE flowable.task_history_0022 RENAME CONSTRAINT task_history_pkey TO task_history_0022_pkey;
ALTER TABLE flowable.task_history_0022 ALTER COLUMN history_id DROP DEFAULT;
DROP INDEX flowable.idx_task_history_process, flowable.idx_task_history_action_by,
           flowable.idx_task_history_action_at, flowable.idx_task_history_task_action_at;

CREATE TABLE flowable.task_history (
    history_id BIGINT NOT NULL DEFAULT nextval('flowable.task_history_history_id_seq'::regclass),
    task_id VARCHAR(64) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    action_type VARCHAR(50) NOT NULL,
    action_by VARCHAR(50) NOT NULL,
    action_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    old_status VARCHAR(50),
    new_status VARCHAR(50),
    old_assignee VARCHAR(50),
    new_assignee VARCHAR(50),
    delegate_to VARCHAR(50),
    escalate_to VARCHAR(100),
    comments TEXT,
    action_data JSONB DEFAULT '{}'::jsonb,
    client_info JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT task_history_pkey PRIMARY KEY (history_id),
    CONSTRAINT chk_action_type CHECK (action_type::text = ANY ('{CREATE,CLAIM,UNCLAIM,COMPLETE,DELEGATE,ESCALATE,UPDATE,CANCEL,REASSIGN,COMMENT}'::text[]))
);
ALTER SEQUENCE flowable.task_history_history_id_seq OWNED BY flowable.task_history.history_id;

INSERT INTO flowable.task_history (history_id, task_id, process_instance_id, action_type, action_by, action_at,
                                   old_status, new_status, old_assignee, new_assignee, delegate_to, escalate_to,
                                   comments, action_data, client_info)
SELECT history_id, task_id, process_instance_id, action_type, action_by, nullif(action_at, '-infinity'),
       old_status, new_status, old_assignee, new_assignee, delegate_to, escalate_to,
       comments, action_data, client_info
FROM flowable.task_history_0022
ORDER BY action_at, history_id;

CREATE INDEX idx_task_history_process ON flowable.task_history (process_instance_id);
CREATE INDEX idx_task_history_action_by ON flowable.task_history (action_by);
CREATE INDEX idx_task_history_action_at ON flowable.task_history USING brin (action_at);
CREATE INDEX idx_task_history_task_action_at ON flowable.task_history (task_id, action_at DESC);
COMMENT ON INDEX flowable.idx_task_history_action_at IS 'History by time (audits of a period, retention purges): BRIN over action_at, in which history is appended; an insert adds no entry.';

DO $comments$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT a.attname, col_description('flowable.task_history_0022'::regclass, a.attnum) AS text
        FROM pg_attribute a
        WHERE a.attrelid = 'flowable.task_history_0022'::regclass AND a.attnum > 0 AND NOT a.attisdropped
          AND a.attname <> 'action_at'
          AND col_description('flowable.task_history_0022'::regclass, a.attnum) IS NOT NULL
    LOOP
        EXECUTE format('COMMENT ON COLUMN flowable.task_history.%I IS %L', r.attname, r.text);
    END LOOP;
END
$comments$;
COMMENT ON TABLE flowable.task_history IS 'Audit trail: one row per task state change (CREATE, CLAIM, UNCLAIM, COMPLETE, DELEGATE, ESCALATE, UPDATE, CANCEL, REASSIGN) or COMMENT, with the true status and assignee before and after.';

DROP TABLE flowable.task_history_0022 CASCADE;
DROP SCHEMA pgwf_partitions;

RESET ROLE;
