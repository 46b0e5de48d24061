-- Queue-based user tasks (case-routing-schema.md, table 6). Created by flowable.create_task,
-- changed only through the task service functions (claim, complete, delegate, ...); people read it under RLS.
CREATE TABLE flowable.workflow_tasks (
    task_id VARCHAR(64) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    task_definition_key VARCHAR(255) NOT NULL,
    task_name VARCHAR(500) NOT NULL,
    task_type VARCHAR(50) NOT NULL DEFAULT 'USER_TASK',
    queue_name VARCHAR(100) NOT NULL,
    assignee_id VARCHAR(50),
    candidate_groups TEXT[],
    candidate_users TEXT[],
    priority INTEGER DEFAULT 50,
    status VARCHAR(50) NOT NULL DEFAULT 'OPEN',
    form_key VARCHAR(255),
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    claimed_at TIMESTAMPTZ,
    claimed_by VARCHAR(50),
    completed_at TIMESTAMPTZ,
    completed_by VARCHAR(50),
    due_date TIMESTAMPTZ,
    follow_up_date TIMESTAMPTZ,
    escalation_level INTEGER DEFAULT 0,
    escalated_at TIMESTAMPTZ,
    task_data JSONB DEFAULT '{}'::jsonb,
    form_data JSONB DEFAULT '{}'::jsonb,
    outcome VARCHAR(100),
    outcome_reason TEXT,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT workflow_tasks_pkey PRIMARY KEY (task_id),
    CONSTRAINT fk_workflow_tasks_process FOREIGN KEY (process_instance_id)
        REFERENCES flowable.process_instances (process_instance_id),
    CONSTRAINT fk_workflow_tasks_queue FOREIGN KEY (queue_name)
        REFERENCES flowable.workflow_queues (queue_name) ON UPDATE CASCADE,
    -- The status lists are written as one text[] constant rather than IN (...): PostgreSQL reads
    -- and simplifies every CHECK expression again for each INSERT or UPDATE statement, and an
    -- IN list of varchar literals is an array built and cast at that point (bench/RESULTS.md).
    CONSTRAINT chk_task_status CHECK (status::text = ANY ('{OPEN,CLAIMED,COMPLETED,CANCELLED,DELEGATED,ESCALATED}'::text[])),
    CONSTRAINT chk_workflow_tasks_escalation_level CHECK (escalation_level >= 0),
    CONSTRAINT chk_workflow_tasks_held_has_assignee CHECK (assignee_id IS NOT NULL OR status::text <> ALL ('{CLAIMED,DELEGATED}'::text[]))
);

-- The specification's indexes, trimmed where writes would pay for nothing (bench/RESULTS.md, index audit):
-- idx_workflow_tasks_queue (queue_name, status) is dropped: idx_workflow_tasks_queue_status_priority
-- leads with the same columns. idx_workflow_tasks_due_date (due_date) WHERE due_date IS NOT NULL is
-- dropped: idx_workflow_tasks_overdue leads with due_date over the unfinished tasks, the only ones
-- searched by due date, and the full index cost every claim and completion an entry. Indexes that
-- only serve unfinished tasks are partial, so a completed task stops costing index entries, and
-- idx_workflow_tasks_status and the GIN index are partial on the states they are searched in.
CREATE INDEX idx_workflow_tasks_process ON flowable.workflow_tasks (process_instance_id);
CREATE INDEX idx_workflow_tasks_assignee ON flowable.workflow_tasks (assignee_id, status);
CREATE INDEX idx_workflow_tasks_status ON flowable.workflow_tasks (status) INCLUDE (queue_name, assignee_id)
    WHERE status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED');
CREATE INDEX idx_workflow_tasks_priority ON flowable.workflow_tasks (priority DESC, created_at)
    WHERE status IN ('OPEN', 'ESCALATED') AND assignee_id IS NULL;
CREATE INDEX idx_workflow_tasks_candidate_groups ON flowable.workflow_tasks USING gin (candidate_groups)
    WHERE status IN ('OPEN', 'ESCALATED') AND assignee_id IS NULL;
CREATE INDEX idx_workflow_tasks_queue_status_priority ON flowable.workflow_tasks (queue_name, status, priority DESC, created_at);
CREATE INDEX idx_workflow_tasks_open_queue ON flowable.workflow_tasks (queue_name, created_at) WHERE status = 'OPEN';
CREATE INDEX idx_workflow_tasks_overdue ON flowable.workflow_tasks (due_date)
    WHERE status IN ('OPEN', 'CLAIMED', 'ESCALATED') AND due_date IS NOT NULL;

COMMENT ON INDEX flowable.idx_workflow_tasks_priority IS 'The claim index: claimable tasks (OPEN or ESCALATED, unassigned) in claim order; partial so claim cost stays flat however many tasks are finished.';
COMMENT ON INDEX flowable.idx_workflow_tasks_overdue IS 'Escalation scan: unfinished tasks by due date. The specification indexes (due_date < CURRENT_TIMESTAMP), which PostgreSQL refuses (not IMMUTABLE); this serves the same search.';
COMMENT ON INDEX flowable.idx_workflow_tasks_candidate_groups IS 'Claimable tasks offered to a group (candidate_groups @> / &&); partial like the claim index, so claiming and completing add no GIN entries.';
COMMENT ON INDEX flowable.idx_workflow_tasks_status IS 'Unfinished tasks by status with their queue and assignee (inboxes, the open/claimed/escalated counts of the reporting views by index-only scan); partial, so a completion adds no entry.';

COMMENT ON TABLE flowable.workflow_tasks IS 'Queue-based user tasks. Status: OPEN (claimable) -> CLAIMED (held by assignee_id) -> COMPLETED; DELEGATED (assignee_id is the delegate, claimed_by the owner); ESCALATED (overdue and escalated: claimable when unassigned, completable by its assignee); CANCELLED.';
COMMENT ON COLUMN flowable.workflow_tasks.task_id IS 'Identifier of the task (text, up to 64 characters).';
COMMENT ON COLUMN flowable.workflow_tasks.task_definition_key IS 'Id of the model element (BPMN userTask / approval node) this task is an instance of.';
COMMENT ON COLUMN flowable.workflow_tasks.task_type IS 'Kind of task, USER_TASK by default (APPROVAL for approval nodes).';
COMMENT ON COLUMN flowable.workflow_tasks.queue_name IS 'The queue the task waits in (flowable.workflow_queues).';
COMMENT ON COLUMN flowable.workflow_tasks.assignee_id IS 'user_id who holds the task now (the delegate while DELEGATED); NULL while claimable.';
COMMENT ON COLUMN flowable.workflow_tasks.candidate_groups IS 'Role codes (entitlements.workflow_roles.role_code) whose holders may claim the task.';
COMMENT ON COLUMN flowable.workflow_tasks.candidate_users IS 'user_ids who may claim the task whatever their roles.';
COMMENT ON COLUMN flowable.workflow_tasks.priority IS 'Higher is handed out first (default 50).';
COMMENT ON COLUMN flowable.workflow_tasks.claimed_by IS 'The owner: the user who claimed (or was assigned) the task; a delegate resolves the task back to this user.';
COMMENT ON COLUMN flowable.workflow_tasks.due_date IS 'When the task breaches its SLA; defaults to creation + the queue''s sla_minutes.';
COMMENT ON COLUMN flowable.workflow_tasks.follow_up_date IS 'When the holder wants to look at the task again (informational).';
COMMENT ON COLUMN flowable.workflow_tasks.escalation_level IS 'How many times the task has been escalated (0 = never).';
COMMENT ON COLUMN flowable.workflow_tasks.escalated_at IS 'Time of the last escalation.';
COMMENT ON COLUMN flowable.workflow_tasks.task_data IS 'Data the process gives the task (input).';
COMMENT ON COLUMN flowable.workflow_tasks.form_data IS 'Data the user submitted on completion.';
COMMENT ON COLUMN flowable.workflow_tasks.outcome IS 'Outcome chosen on completion, e.g. APPROVED.';
COMMENT ON COLUMN flowable.workflow_tasks.outcome_reason IS 'Why that outcome was chosen (free text).';
