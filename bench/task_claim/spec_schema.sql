-- The specification's own schema for the tables a claim and a completion touch (case-routing-schema.md:
-- departments, workflow_definitions, process_instances, workflow_queues, workflow_tasks, task_history),
-- with its columns, constraints and named indexes, including those of its "Indexes for Performance"
-- section, and none of pgwf's additions: no queue-load, engine or case triggers, no extra CHECKs,
-- no row-level security. For the benchmark's schema floor only (bench/task_bench.py claim), in a
-- database of its own. Two changes, both making this floor cheaper, never dearer:
--   * idx_workflow_tasks_overdue is on (due_date): the spec's expression (due_date < CURRENT_TIMESTAMP)
--     is not immutable, so PostgreSQL refuses to build it;
--   * idx_workflow_tasks_priority covers OPEN tasks only: as the spec writes it (every row) a claim
--     walks past every claimed and completed task before it finds an open one, and every version of
--     every task costs it an entry.
CREATE SCHEMA entitlements;
CREATE SCHEMA flowable;

CREATE TABLE entitlements.departments (
    department_id BIGSERIAL PRIMARY KEY,
    department_code VARCHAR(50) UNIQUE NOT NULL,
    department_name VARCHAR(100) NOT NULL,
    parent_dept_id BIGINT REFERENCES entitlements.departments (department_id),
    description TEXT,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    metadata JSONB DEFAULT '{}'::jsonb
);
CREATE INDEX idx_departments_code ON entitlements.departments (department_code);
CREATE INDEX idx_departments_active ON entitlements.departments (is_active);

CREATE TABLE flowable.workflow_definitions (
    workflow_id BIGSERIAL PRIMARY KEY,
    process_key VARCHAR(255) UNIQUE NOT NULL,
    process_name VARCHAR(500) NOT NULL,
    process_version INTEGER NOT NULL DEFAULT 1,
    business_app VARCHAR(100) NOT NULL,
    deployment_id VARCHAR(255),
    bpmn_xml TEXT,
    dmn_xml TEXT,
    deployed_at TIMESTAMP,
    deployed_by VARCHAR(50),
    is_active BOOLEAN DEFAULT FALSE,
    entry_criteria JSONB DEFAULT '{}'::jsonb,
    routing_rules JSONB DEFAULT '{}'::jsonb,
    sla_config JSONB DEFAULT '{}'::jsonb,
    metadata JSONB DEFAULT '{}'::jsonb,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (process_key, process_version)
);

CREATE TABLE flowable.process_instances (
    process_instance_id VARCHAR(64) PRIMARY KEY,
    workflow_id BIGINT NOT NULL REFERENCES flowable.workflow_definitions (workflow_id),
    case_id BIGINT,
    business_key VARCHAR(255),
    parent_process_id VARCHAR(64),
    super_process_id VARCHAR(64),
    started_by VARCHAR(50) NOT NULL,
    started_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    completed_at TIMESTAMP,
    suspended_at TIMESTAMP,
    status VARCHAR(50) NOT NULL DEFAULT 'ACTIVE',
    current_activity VARCHAR(255),
    variables JSONB DEFAULT '{}'::jsonb,
    context_data JSONB DEFAULT '{}'::jsonb,
    sla_due_date TIMESTAMP,
    priority INTEGER DEFAULT 50,
    tags TEXT[],
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT chk_status CHECK (status IN ('ACTIVE', 'COMPLETED', 'SUSPENDED', 'TERMINATED', 'ERROR'))
);

CREATE TABLE flowable.workflow_queues (
    queue_id BIGSERIAL PRIMARY KEY,
    queue_name VARCHAR(100) UNIQUE NOT NULL,
    queue_type VARCHAR(50) NOT NULL DEFAULT 'STANDARD',
    department_id BIGINT REFERENCES entitlements.departments (department_id),
    description TEXT,
    max_capacity INTEGER DEFAULT 100,
    current_load INTEGER DEFAULT 0,
    sla_minutes INTEGER DEFAULT 480,
    escalation_config JSONB DEFAULT '{}'::jsonb,
    routing_rules JSONB DEFAULT '{}'::jsonb,
    priority_weights JSONB DEFAULT '{}'::jsonb,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT chk_queue_type CHECK (queue_type IN ('STANDARD', 'PRIORITY', 'SPECIALIZED', 'OVERFLOW'))
);

CREATE TABLE flowable.workflow_tasks (
    task_id VARCHAR(64) PRIMARY KEY,
    process_instance_id VARCHAR(64) NOT NULL REFERENCES flowable.process_instances (process_instance_id),
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
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    claimed_at TIMESTAMP,
    claimed_by VARCHAR(50),
    completed_at TIMESTAMP,
    completed_by VARCHAR(50),
    due_date TIMESTAMP,
    follow_up_date TIMESTAMP,
    escalation_level INTEGER DEFAULT 0,
    escalated_at TIMESTAMP,
    task_data JSONB DEFAULT '{}'::jsonb,
    form_data JSONB DEFAULT '{}'::jsonb,
    outcome VARCHAR(100),
    outcome_reason TEXT,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT chk_task_status CHECK (status IN ('OPEN', 'CLAIMED', 'COMPLETED', 'CANCELLED', 'DELEGATED', 'ESCALATED'))
);
CREATE INDEX idx_workflow_tasks_process ON flowable.workflow_tasks (process_instance_id);
CREATE INDEX idx_workflow_tasks_queue ON flowable.workflow_tasks (queue_name, status);
CREATE INDEX idx_workflow_tasks_assignee ON flowable.workflow_tasks (assignee_id, status);
CREATE INDEX idx_workflow_tasks_status ON flowable.workflow_tasks (status);
CREATE INDEX idx_workflow_tasks_priority ON flowable.workflow_tasks (priority DESC, created_at) WHERE status = 'OPEN';
CREATE INDEX idx_workflow_tasks_due_date ON flowable.workflow_tasks (due_date) WHERE due_date IS NOT NULL;
CREATE INDEX idx_workflow_tasks_candidate_groups ON flowable.workflow_tasks USING GIN (candidate_groups);
CREATE INDEX idx_workflow_tasks_queue_status_priority ON flowable.workflow_tasks (queue_name, status, priority DESC, created_at);
CREATE INDEX idx_workflow_tasks_open_queue ON flowable.workflow_tasks (queue_name, created_at) WHERE status = 'OPEN';
CREATE INDEX idx_workflow_tasks_overdue ON flowable.workflow_tasks (due_date)
    WHERE status IN ('OPEN', 'CLAIMED') AND due_date IS NOT NULL;

CREATE TABLE flowable.task_history (
    history_id BIGSERIAL PRIMARY KEY,
    task_id VARCHAR(64) NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    action_type VARCHAR(50) NOT NULL,
    action_by VARCHAR(50) NOT NULL,
    action_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    old_status VARCHAR(50),
    new_status VARCHAR(50),
    old_assignee VARCHAR(50),
    new_assignee VARCHAR(50),
    delegate_to VARCHAR(50),
    escalate_to VARCHAR(50),
    comments TEXT,
    action_data JSONB DEFAULT '{}'::jsonb,
    client_info JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT chk_action_type CHECK (action_type IN ('CREATE', 'CLAIM', 'UNCLAIM', 'COMPLETE', 'DELEGATE', 'ESCALATE',
                                                      'UPDATE', 'CANCEL', 'REASSIGN', 'COMMENT'))
);
CREATE INDEX idx_task_history_task ON flowable.task_history (task_id);
CREATE INDEX idx_task_history_process ON flowable.task_history (process_instance_id);
CREATE INDEX idx_task_history_action_by ON flowable.task_history (action_by);
CREATE INDEX idx_task_history_action_at ON flowable.task_history (action_at);
CREATE INDEX idx_task_history_task_action_at ON flowable.task_history (task_id, action_at DESC);

-- The same world as the pgwf database: 5 queues, 1,000 runs, 100,000 OPEN tasks offered to AGENT.
INSERT INTO entitlements.departments (department_code, department_name) VALUES ('OPS', 'Operations');
INSERT INTO flowable.workflow_queues (queue_name, department_id, max_capacity, sla_minutes)
SELECT q, (SELECT department_id FROM entitlements.departments), NULL, 480
FROM unnest(ARRAY['Q1', 'Q2', 'Q3', 'Q4', 'Q5']) AS q;
INSERT INTO flowable.workflow_definitions (process_key, process_name, business_app, is_active)
VALUES ('bench', 'Bench process', 'BENCH', true);
INSERT INTO flowable.process_instances (process_instance_id, workflow_id, started_by)
SELECT 'p' || i, (SELECT workflow_id FROM flowable.workflow_definitions), 'bench' FROM generate_series(1, 1000) AS i;
INSERT INTO flowable.workflow_tasks (task_id, process_instance_id, task_definition_key, task_name, queue_name,
    candidate_groups, priority, status, created_at, due_date)
SELECT 'o' || i, 'p' || (1 + i % 1000), 'review', 'Review', 'Q' || (1 + i % 5), ARRAY['AGENT'], (i / 5) % 100,
       'OPEN', now() - make_interval(secs => i), now() + interval '8 hours'
FROM generate_series(1, 100000) AS i;
