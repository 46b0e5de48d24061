-- Which roles work which queue and how new tasks are handed out (case-routing-schema.md, table 8).
-- Read by flowable.create_task for auto-assignment.
CREATE TABLE flowable.queue_assignments (
    assignment_id BIGSERIAL,
    queue_id BIGINT NOT NULL,
    role_id BIGINT NOT NULL,
    priority_level INTEGER DEFAULT 50,
    max_tasks_per_user INTEGER DEFAULT 10,
    auto_assign BOOLEAN DEFAULT FALSE,
    assignment_strategy VARCHAR(50) DEFAULT 'ROUND_ROBIN',
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT queue_assignments_pkey PRIMARY KEY (assignment_id),
    CONSTRAINT uq_queue_assignments_queue_role UNIQUE (queue_id, role_id),
    CONSTRAINT fk_queue_assignments_queue FOREIGN KEY (queue_id)
        REFERENCES flowable.workflow_queues (queue_id),
    CONSTRAINT fk_queue_assignments_role FOREIGN KEY (role_id)
        REFERENCES entitlements.workflow_roles (role_id),
    CONSTRAINT chk_queue_assignments_strategy CHECK (assignment_strategy IN ('ROUND_ROBIN', 'LEAST_LOADED', 'MANUAL')),
    CONSTRAINT chk_queue_assignments_max_tasks CHECK (max_tasks_per_user IS NULL OR max_tasks_per_user > 0)
);

CREATE INDEX idx_queue_assignments_queue ON flowable.queue_assignments (queue_id);
CREATE INDEX idx_queue_assignments_role ON flowable.queue_assignments (role_id);

COMMENT ON TABLE flowable.queue_assignments IS 'Roles that work a queue, with the rules for handing its new tasks out.';
COMMENT ON COLUMN flowable.queue_assignments.priority_level IS 'Among the roles of one queue, auto-assignment tries the highest priority_level first.';
COMMENT ON COLUMN flowable.queue_assignments.max_tasks_per_user IS 'Auto-assignment never gives a holder of this role more than this many unfinished tasks of the queue; NULL means no limit.';
COMMENT ON COLUMN flowable.queue_assignments.auto_assign IS 'When true, flowable.create_task assigns a new task of the queue to a holder of this role at once.';
COMMENT ON COLUMN flowable.queue_assignments.assignment_strategy IS 'ROUND_ROBIN (next holder after the last one assigned, by user_id), LEAST_LOADED (holder with the fewest unfinished tasks in the queue) or MANUAL (never auto-assigned).';
COMMENT ON COLUMN flowable.queue_assignments.metadata IS 'Free-form; auto-assignment keeps its round-robin position in the key rr_last_user_id.';
