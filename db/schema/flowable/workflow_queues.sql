-- Task queues and their settings (case-routing-schema.md, table 7): capacity, SLA,
-- escalation and overflow routing. current_load is kept by the database (trigger on workflow_tasks).
CREATE TABLE flowable.workflow_queues (
    queue_id BIGSERIAL,
    queue_name VARCHAR(100) NOT NULL,
    queue_type VARCHAR(50) NOT NULL DEFAULT 'STANDARD',
    department_id BIGINT,
    description TEXT,
    max_capacity INTEGER DEFAULT 100,
    current_load INTEGER NOT NULL DEFAULT 0,  -- spec: nullable; a NULL count switches capacity and counting off
    sla_minutes INTEGER DEFAULT 480,
    escalation_config JSONB DEFAULT '{}'::jsonb,
    routing_rules JSONB DEFAULT '{}'::jsonb,
    priority_weights JSONB DEFAULT '{}'::jsonb,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT workflow_queues_pkey PRIMARY KEY (queue_id),
    CONSTRAINT uq_workflow_queues_name UNIQUE (queue_name),
    CONSTRAINT fk_workflow_queues_department FOREIGN KEY (department_id)
        REFERENCES entitlements.departments (department_id),
    -- One text[] constant rather than IN (...): checked on every update of current_load.
    CONSTRAINT chk_queue_type CHECK (queue_type::text = ANY ('{STANDARD,PRIORITY,SPECIALIZED,OVERFLOW}'::text[])),
    CONSTRAINT chk_workflow_queues_max_capacity CHECK (max_capacity IS NULL OR max_capacity >= 0),
    CONSTRAINT chk_workflow_queues_current_load CHECK (current_load >= 0),
    CONSTRAINT chk_workflow_queues_sla_minutes CHECK (sla_minutes IS NULL OR sla_minutes > 0),
    CONSTRAINT chk_workflow_queues_escalation_config CHECK (jsonb_typeof(escalation_config) = 'object'),
    CONSTRAINT chk_workflow_queues_routing_rules CHECK (jsonb_typeof(routing_rules) = 'object')
);

-- idx_workflow_queues_name (queue_name) is dropped: the index of uq_workflow_queues_name is the same
-- B-tree on the same column, and every current_load update opened both.
CREATE INDEX idx_workflow_queues_dept ON flowable.workflow_queues (department_id);
CREATE INDEX idx_workflow_queues_active ON flowable.workflow_queues (is_active);

COMMENT ON TABLE flowable.workflow_queues IS 'Task queues: capacity, SLA, escalation and overflow settings of each queue.';
COMMENT ON COLUMN flowable.workflow_queues.queue_name IS 'Unique name of the queue; workflow_tasks.queue_name and workflow_roles.queue_name refer to it.';
COMMENT ON COLUMN flowable.workflow_queues.queue_type IS 'STANDARD, PRIORITY, SPECIALIZED or OVERFLOW (a queue that takes the tasks other queues at capacity route to it).';
COMMENT ON COLUMN flowable.workflow_queues.max_capacity IS 'Most unfinished tasks (OPEN, CLAIMED, DELEGATED, ESCALATED) the queue admits; a new task beyond it goes to routing_rules.overflow_queue or is refused with PW429. NULL means unlimited.';
COMMENT ON COLUMN flowable.workflow_queues.current_load IS 'Number of unfinished tasks (OPEN, CLAIMED, DELEGATED, ESCALATED) in the queue, kept exact by triggers trg_workflow_tasks_queue_load and trg_workflow_tasks_queue_load_change; do not write it.';
COMMENT ON COLUMN flowable.workflow_queues.sla_minutes IS 'A task created in this queue without a due date is due this many minutes after creation.';
COMMENT ON COLUMN flowable.workflow_queues.escalation_config IS 'How overdue tasks escalate, per level (see docs/task-service.md): {"max_level": 3, "repeat_after_minutes": 60, "levels": {"1": {"priority_boost": 10}, "2": {"move_to_queue": "Q", "release": true}}}.';
COMMENT ON COLUMN flowable.workflow_queues.routing_rules IS 'Routing settings; {"overflow_queue": "NAME"} names the queue new tasks go to while this one is at max_capacity.';
COMMENT ON COLUMN flowable.workflow_queues.priority_weights IS 'Weights the application uses to rank tasks (informational to the database).';
COMMENT ON COLUMN flowable.workflow_queues.is_active IS 'An inactive queue gets no new tasks and its tasks are not handed out.';
COMMENT ON COLUMN flowable.workflow_queues.updated_at IS 'Time of the last change, kept by trigger audit_trigger_workflow_queues.';
