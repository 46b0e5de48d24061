-- Audit trail of task actions (case-routing-schema.md, table 9): one row per state change or
-- comment, written by the task service functions in the same transaction as the change.
-- Partitioned by month of action_at (0022): automation.maintain_partitions makes the months
-- ahead in schema pgwf_partitions and drops expired ones; the default partition catches a row
-- no month takes.
CREATE TABLE flowable.task_history (
    history_id BIGSERIAL,
    task_id VARCHAR(64) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    action_type VARCHAR(50) NOT NULL,
    action_by VARCHAR(50) NOT NULL,
    action_at TIMESTAMPTZ NOT NULL DEFAULT CURRENT_TIMESTAMP,  -- spec: nullable; a partition key is not
    old_status VARCHAR(50),
    new_status VARCHAR(50),
    old_assignee VARCHAR(50),
    new_assignee VARCHAR(50),
    delegate_to VARCHAR(50),
    escalate_to VARCHAR(100),  -- spec: VARCHAR(50); holds queue names and role codes (varchar(100))
    comments TEXT,
    action_data JSONB DEFAULT '{}'::jsonb,
    client_info JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT task_history_pkey PRIMARY KEY (history_id, action_at),  -- spec: (history_id); a partitioned table's key holds the partition key
    -- One text[] constant rather than IN (...): checked on every insert (see workflow_tasks.sql).
    CONSTRAINT chk_action_type CHECK (action_type::text = ANY ('{CREATE,CLAIM,UNCLAIM,COMPLETE,DELEGATE,ESCALATE,UPDATE,CANCEL,REASSIGN,COMMENT}'::text[]))
) PARTITION BY RANGE (action_at);

CREATE TABLE pgwf_partitions.task_history_default PARTITION OF flowable.task_history DEFAULT;
COMMENT ON TABLE pgwf_partitions.task_history_default IS 'Rows of flowable.task_history no monthly partition takes (automation.maintain_partitions moves them into the month it makes).';

-- idx_task_history_task (task_id) is dropped: idx_task_history_task_action_at leads with task_id.
CREATE INDEX idx_task_history_process ON flowable.task_history (process_instance_id);
CREATE INDEX idx_task_history_action_by ON flowable.task_history (action_by);
-- BRIN: history is appended in time order, so block ranges of action_at serve time-range audits
-- and retention purges at a fraction of a B-tree's size, and an insert costs no index entry.
CREATE INDEX idx_task_history_action_at ON flowable.task_history USING brin (action_at);
CREATE INDEX idx_task_history_task_action_at ON flowable.task_history (task_id, action_at DESC);

COMMENT ON INDEX flowable.idx_task_history_action_at IS 'History by time (audits of a period, retention purges): BRIN over action_at, in which history is appended; an insert adds no entry.';
COMMENT ON TABLE flowable.task_history IS 'Audit trail: one row per task state change (CREATE, CLAIM, UNCLAIM, COMPLETE, DELEGATE, ESCALATE, UPDATE, CANCEL, REASSIGN) or COMMENT, with the true status and assignee before and after. Partitioned by month of action_at (partitions in schema pgwf_partitions, kept by automation.maintain_partitions).';
COMMENT ON COLUMN flowable.task_history.task_id IS 'The task (flowable.workflow_tasks). Deliberately no foreign key: the audit trail outlives archived tasks, and only the task service writes it, from the locked task row.';
COMMENT ON COLUMN flowable.task_history.process_instance_id IS 'The task''s process instance, copied so a run''s history is read without joining the tasks.';
COMMENT ON COLUMN flowable.task_history.action_by IS 'user_id who acted, or SYSTEM for the database''s own actions (escalation, auto-assignment).';
COMMENT ON COLUMN flowable.task_history.old_status IS 'Status of the task before the action (NULL for CREATE).';
COMMENT ON COLUMN flowable.task_history.new_status IS 'Status of the task after the action.';
COMMENT ON COLUMN flowable.task_history.old_assignee IS 'assignee_id before the action.';
COMMENT ON COLUMN flowable.task_history.new_assignee IS 'assignee_id after the action.';
COMMENT ON COLUMN flowable.task_history.delegate_to IS 'For DELEGATE: the user the task was delegated to.';
COMMENT ON COLUMN flowable.task_history.escalate_to IS 'For ESCALATE: the queue the task moved to, or the role notified.';
COMMENT ON COLUMN flowable.task_history.action_data IS 'Details of the action (outcome, form data keys, escalation level, strategy).';
COMMENT ON COLUMN flowable.task_history.action_at IS 'When the action happened; the partition key (a month a partition).';
COMMENT ON COLUMN flowable.task_history.client_info IS 'Who acted and how, stamped by trg_task_history_client_info (entitlements.client_info(): user, database login, auth token/act_as/asserted/none, token_id, application).';
