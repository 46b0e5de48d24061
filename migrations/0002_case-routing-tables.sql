-- pgwf 0002: the tables of case-routing-schema.md (entitlements, flowable, onecms),
-- with entitlements.users which the specification uses but never defines.
-- The same definitions as db/schema/<schema>/<table>.sql (a test compares the catalogs).

SET LOCAL ROLE pgwf_owner;

-- ---- entitlements/departments
CREATE TABLE entitlements.departments (
    department_id BIGSERIAL,
    department_code VARCHAR(50) NOT NULL,
    department_name VARCHAR(100) NOT NULL,
    parent_dept_id BIGINT,
    description TEXT,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT departments_pkey PRIMARY KEY (department_id),
    CONSTRAINT uq_departments_code UNIQUE (department_code),
    CONSTRAINT fk_departments_parent FOREIGN KEY (parent_dept_id)
        REFERENCES entitlements.departments (department_id),
    CONSTRAINT chk_departments_not_own_parent CHECK (parent_dept_id IS DISTINCT FROM department_id)
);

CREATE INDEX idx_departments_code ON entitlements.departments (department_code);
CREATE INDEX idx_departments_active ON entitlements.departments (is_active);
CREATE INDEX idx_departments_parent ON entitlements.departments (parent_dept_id);

COMMENT ON TABLE entitlements.departments IS 'Organisational departments involved in case routing; a tree through parent_dept_id.';
COMMENT ON COLUMN entitlements.departments.department_code IS 'Stable business code of the department (unique), e.g. CLAIMS.';
COMMENT ON COLUMN entitlements.departments.parent_dept_id IS 'The enclosing department; NULL for a top-level department.';
COMMENT ON COLUMN entitlements.departments.is_active IS 'An inactive department keeps its history but its queues get no new work.';
COMMENT ON COLUMN entitlements.departments.updated_at IS 'Time of the last change, kept by trigger audit_trigger_departments.';
COMMENT ON COLUMN entitlements.departments.metadata IS 'Free-form attributes the application keeps about the department.';

-- ---- entitlements/users
CREATE TABLE entitlements.users (
    user_id VARCHAR(50) NOT NULL,
    username VARCHAR(100) NOT NULL,
    email VARCHAR(255),
    first_name VARCHAR(100),
    last_name VARCHAR(100),
    department_id BIGINT,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT users_pkey PRIMARY KEY (user_id),
    CONSTRAINT uq_users_username UNIQUE (username),
    CONSTRAINT fk_users_department FOREIGN KEY (department_id)
        REFERENCES entitlements.departments (department_id) ON DELETE SET NULL,
    CONSTRAINT chk_users_user_id_not_blank CHECK (btrim(user_id) <> '')
);

CREATE INDEX idx_users_department ON entitlements.users (department_id);

COMMENT ON TABLE entitlements.users IS 'People who take part in workflows. Not defined by case-routing-schema.md (only drawn in its ER diagram); user_id is the value of app.current_user_id.';
COMMENT ON COLUMN entitlements.users.user_id IS 'The identity the application sets in app.current_user_id; referenced as assignee, claimer and actor everywhere.';
COMMENT ON COLUMN entitlements.users.username IS 'Login name, unique.';
COMMENT ON COLUMN entitlements.users.department_id IS 'Home department; NULL when the department is deleted.';
COMMENT ON COLUMN entitlements.users.is_active IS 'An inactive user keeps history but gets no work, holds no valid role and is not shown in v_user_workload.';
COMMENT ON COLUMN entitlements.users.updated_at IS 'Time of the last change, kept by trigger audit_trigger_users.';
COMMENT ON COLUMN entitlements.users.metadata IS 'Free-form attributes of the user.';

-- ---- entitlements/workflow_roles
CREATE TABLE entitlements.workflow_roles (
    role_id BIGSERIAL,
    role_code VARCHAR(100) NOT NULL,
    role_name VARCHAR(200) NOT NULL,
    role_type VARCHAR(50) NOT NULL,
    department_id BIGINT,
    queue_name VARCHAR(100),
    permissions JSONB DEFAULT '{}'::jsonb,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT workflow_roles_pkey PRIMARY KEY (role_id),
    CONSTRAINT uq_workflow_roles_code UNIQUE (role_code),
    CONSTRAINT chk_workflow_roles_role_type CHECK (role_type IN ('SYSTEM', 'DEPARTMENT', 'CUSTOM')),
    CONSTRAINT fk_workflow_roles_department FOREIGN KEY (department_id)
        REFERENCES entitlements.departments (department_id)
);

CREATE INDEX idx_workflow_roles_code ON entitlements.workflow_roles (role_code);
CREATE INDEX idx_workflow_roles_dept ON entitlements.workflow_roles (department_id);
CREATE INDEX idx_workflow_roles_queue ON entitlements.workflow_roles (queue_name);

COMMENT ON TABLE entitlements.workflow_roles IS 'Workflow roles: a task''s candidate_groups name role codes; holders of a role see the role''s queue.';
COMMENT ON COLUMN entitlements.workflow_roles.role_code IS 'Stable code of the role (unique); the value used in workflow_tasks.candidate_groups.';
COMMENT ON COLUMN entitlements.workflow_roles.role_type IS 'SYSTEM (built in), DEPARTMENT (tied to department_id) or CUSTOM.';
COMMENT ON COLUMN entitlements.workflow_roles.queue_name IS 'The queue (flowable.workflow_queues.queue_name) whose tasks holders of this role may see; not a foreign key so a role may be defined before its queue.';
COMMENT ON COLUMN entitlements.workflow_roles.permissions IS 'Permission flags as a JSON object; {"view_all": true} lets holders see every task, history row and variable of the queues of the role''s department; {"supervise": true} lets them reassign tasks in those queues.';
COMMENT ON COLUMN entitlements.workflow_roles.is_active IS 'An inactive role grants nothing.';
COMMENT ON COLUMN entitlements.workflow_roles.updated_at IS 'Time of the last change, kept by trigger audit_trigger_workflow_roles.';

-- ---- entitlements/user_workflow_roles
CREATE TABLE entitlements.user_workflow_roles (
    user_role_id BIGSERIAL,
    user_id VARCHAR(50) NOT NULL,
    role_id BIGINT NOT NULL,
    assigned_by VARCHAR(50) NOT NULL,
    assigned_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    valid_from TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    valid_until TIMESTAMPTZ,
    is_primary BOOLEAN DEFAULT FALSE,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT user_workflow_roles_pkey PRIMARY KEY (user_role_id),
    CONSTRAINT uq_user_workflow_roles_user_role UNIQUE (user_id, role_id),
    CONSTRAINT fk_user_workflow_roles_user FOREIGN KEY (user_id)
        REFERENCES entitlements.users (user_id) ON DELETE CASCADE,
    CONSTRAINT fk_user_workflow_roles_role FOREIGN KEY (role_id)
        REFERENCES entitlements.workflow_roles (role_id),
    CONSTRAINT chk_user_workflow_roles_validity CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from)
);

CREATE INDEX idx_user_workflow_roles_user ON entitlements.user_workflow_roles (user_id);
CREATE INDEX idx_user_workflow_roles_role ON entitlements.user_workflow_roles (role_id);
CREATE INDEX idx_user_workflow_roles_validity ON entitlements.user_workflow_roles (valid_from, valid_until);

COMMENT ON TABLE entitlements.user_workflow_roles IS 'Grants of workflow roles to users, each valid from valid_from until valid_until (exclusive; NULL = open-ended).';
COMMENT ON COLUMN entitlements.user_workflow_roles.user_id IS 'The user holding the role (entitlements.users); the grant goes when the user is deleted.';
COMMENT ON COLUMN entitlements.user_workflow_roles.assigned_by IS 'user_id of whoever granted the role.';
COMMENT ON COLUMN entitlements.user_workflow_roles.valid_from IS 'The grant counts from this instant (inclusive); NULL counts as always.';
COMMENT ON COLUMN entitlements.user_workflow_roles.valid_until IS 'The grant stops counting at this instant (exclusive); NULL means open-ended.';
COMMENT ON COLUMN entitlements.user_workflow_roles.is_primary IS 'Marks the user''s main role (informational).';

-- ---- flowable/workflow_definitions
CREATE TABLE flowable.workflow_definitions (
    workflow_id BIGSERIAL,
    process_key VARCHAR(255) NOT NULL,
    process_name VARCHAR(500) NOT NULL,
    process_version INTEGER NOT NULL DEFAULT 1,
    business_app VARCHAR(100) NOT NULL,
    deployment_id VARCHAR(255),
    bpmn_xml TEXT,
    dmn_xml TEXT,
    deployed_at TIMESTAMPTZ,
    deployed_by VARCHAR(50),
    is_active BOOLEAN DEFAULT FALSE,
    entry_criteria JSONB DEFAULT '{}'::jsonb,
    routing_rules JSONB DEFAULT '{}'::jsonb,
    sla_config JSONB DEFAULT '{}'::jsonb,
    metadata JSONB DEFAULT '{}'::jsonb,
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT workflow_definitions_pkey PRIMARY KEY (workflow_id),
    CONSTRAINT uq_workflow_definitions_key_version UNIQUE (process_key, process_version),
    CONSTRAINT chk_workflow_definitions_version CHECK (process_version >= 1)
);

CREATE INDEX idx_workflow_definitions_key ON flowable.workflow_definitions (process_key);
CREATE INDEX idx_workflow_definitions_app ON flowable.workflow_definitions (business_app);
CREATE INDEX idx_workflow_definitions_active ON flowable.workflow_definitions (is_active);

COMMENT ON TABLE flowable.workflow_definitions IS 'Deployed process definitions: one row per version of a process_key.';
COMMENT ON COLUMN flowable.workflow_definitions.process_key IS 'Stable key of the process (BPMN process id); several versions share it. Not unique on its own (the spec''s column UNIQUE would forbid a second version).';
COMMENT ON COLUMN flowable.workflow_definitions.process_version IS 'Version number within process_key, from 1; (process_key, process_version) is unique.';
COMMENT ON COLUMN flowable.workflow_definitions.business_app IS 'The business application the process belongs to, e.g. ONECMS.';
COMMENT ON COLUMN flowable.workflow_definitions.deployment_id IS 'Identifier of the deployment that installed this version.';
COMMENT ON COLUMN flowable.workflow_definitions.bpmn_xml IS 'BPMN 2.0 XML of this version (deployed source or exported from the graph).';
COMMENT ON COLUMN flowable.workflow_definitions.dmn_xml IS 'DMN decision tables deployed with the process, if any.';
COMMENT ON COLUMN flowable.workflow_definitions.is_active IS 'Whether new instances may start from this version; reporting (v_process_performance) lists active versions only.';
COMMENT ON COLUMN flowable.workflow_definitions.entry_criteria IS 'Conditions a case must meet to enter this process.';
COMMENT ON COLUMN flowable.workflow_definitions.routing_rules IS 'Routing rules of the process as data ({field, operator, value} conditions).';
COMMENT ON COLUMN flowable.workflow_definitions.sla_config IS 'Service-level settings of the process, e.g. {"sla_minutes": 2880}.';
COMMENT ON COLUMN flowable.workflow_definitions.updated_at IS 'Time of the last change, kept by trigger audit_trigger_workflow_definitions.';

-- ---- flowable/process_instances
CREATE TABLE flowable.process_instances (
    process_instance_id VARCHAR(64) NOT NULL,
    workflow_id BIGINT NOT NULL,
    case_id BIGINT,
    business_key VARCHAR(255),
    parent_process_id VARCHAR(64),
    super_process_id VARCHAR(64),
    started_by VARCHAR(50) NOT NULL,
    started_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    completed_at TIMESTAMPTZ,
    suspended_at TIMESTAMPTZ,
    status VARCHAR(50) NOT NULL DEFAULT 'ACTIVE',
    current_activity VARCHAR(255),
    variables JSONB DEFAULT '{}'::jsonb,
    context_data JSONB DEFAULT '{}'::jsonb,
    sla_due_date TIMESTAMPTZ,
    priority INTEGER DEFAULT 50,
    tags TEXT[],
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT process_instances_pkey PRIMARY KEY (process_instance_id),
    CONSTRAINT fk_process_instances_workflow FOREIGN KEY (workflow_id)
        REFERENCES flowable.workflow_definitions (workflow_id),
    CONSTRAINT chk_status CHECK (status IN ('ACTIVE', 'COMPLETED', 'SUSPENDED', 'TERMINATED', 'ERROR'))
);

CREATE INDEX idx_process_instances_workflow ON flowable.process_instances (workflow_id);
CREATE INDEX idx_process_instances_case ON flowable.process_instances (case_id);
CREATE INDEX idx_process_instances_business_key ON flowable.process_instances (business_key);
CREATE INDEX idx_process_instances_status ON flowable.process_instances (status);
CREATE INDEX idx_process_instances_started ON flowable.process_instances (started_at);
CREATE INDEX idx_process_instances_tags ON flowable.process_instances USING gin (tags);
CREATE INDEX idx_process_instances_workflow_status_started ON flowable.process_instances (workflow_id, status, started_at DESC);
CREATE INDEX idx_process_instances_active ON flowable.process_instances (workflow_id, started_at) WHERE status = 'ACTIVE';

COMMENT ON TABLE flowable.process_instances IS 'Process instances: the business record of one run of a deployed process (same id as the engine''s automation.workflow_instances row when the engine runs it).';
COMMENT ON COLUMN flowable.process_instances.process_instance_id IS 'Identifier of the run (text, up to 64 characters).';
COMMENT ON COLUMN flowable.process_instances.case_id IS 'The business case routed by this run (onecms); no foreign key: cases live in the case management system.';
COMMENT ON COLUMN flowable.process_instances.business_key IS 'Business identifier of the run, e.g. the case number.';
COMMENT ON COLUMN flowable.process_instances.parent_process_id IS 'The process that started this one as a sub-process (call activity), if any.';
COMMENT ON COLUMN flowable.process_instances.super_process_id IS 'The top-level process of a sub-process tree, if any.';
COMMENT ON COLUMN flowable.process_instances.started_by IS 'user_id (or SYSTEM) that started the run.';
COMMENT ON COLUMN flowable.process_instances.status IS 'ACTIVE, COMPLETED, SUSPENDED, TERMINATED or ERROR.';
COMMENT ON COLUMN flowable.process_instances.current_activity IS 'Key of the activity the run is at (informational).';
COMMENT ON COLUMN flowable.process_instances.variables IS 'Read-only projection of the run''s process-scope variables ({name: value}); the source of truth is flowable.workflow_variables, whose changes are copied here by the database.';
COMMENT ON COLUMN flowable.process_instances.context_data IS 'Free-form context the starter passed in.';
COMMENT ON COLUMN flowable.process_instances.sla_due_date IS 'When the whole run should be finished.';
COMMENT ON COLUMN flowable.process_instances.priority IS 'Priority of the run (default 50; higher is more urgent).';
COMMENT ON COLUMN flowable.process_instances.tags IS 'Labels for searching (GIN indexed).';

-- ---- flowable/workflow_queues
CREATE TABLE flowable.workflow_queues (
    queue_id BIGSERIAL,
    queue_name VARCHAR(100) NOT NULL,
    queue_type VARCHAR(50) NOT NULL DEFAULT 'STANDARD',
    department_id BIGINT,
    description TEXT,
    max_capacity INTEGER DEFAULT 100,
    current_load INTEGER DEFAULT 0,
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
    CONSTRAINT chk_queue_type CHECK (queue_type IN ('STANDARD', 'PRIORITY', 'SPECIALIZED', 'OVERFLOW')),
    CONSTRAINT chk_workflow_queues_max_capacity CHECK (max_capacity IS NULL OR max_capacity >= 0),
    CONSTRAINT chk_workflow_queues_current_load CHECK (current_load >= 0),
    CONSTRAINT chk_workflow_queues_sla_minutes CHECK (sla_minutes IS NULL OR sla_minutes > 0),
    CONSTRAINT chk_workflow_queues_escalation_config CHECK (jsonb_typeof(escalation_config) = 'object'),
    CONSTRAINT chk_workflow_queues_routing_rules CHECK (jsonb_typeof(routing_rules) = 'object')
);

CREATE INDEX idx_workflow_queues_name ON flowable.workflow_queues (queue_name);
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

-- ---- flowable/queue_assignments
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

-- ---- flowable/workflow_tasks
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
    CONSTRAINT chk_task_status CHECK (status IN ('OPEN', 'CLAIMED', 'COMPLETED', 'CANCELLED', 'DELEGATED', 'ESCALATED')),
    CONSTRAINT chk_workflow_tasks_escalation_level CHECK (escalation_level >= 0),
    CONSTRAINT chk_workflow_tasks_held_has_assignee CHECK (status NOT IN ('CLAIMED', 'DELEGATED') OR assignee_id IS NOT NULL)
);

CREATE INDEX idx_workflow_tasks_process ON flowable.workflow_tasks (process_instance_id);
CREATE INDEX idx_workflow_tasks_assignee ON flowable.workflow_tasks (assignee_id, status);
CREATE INDEX idx_workflow_tasks_status ON flowable.workflow_tasks (status) INCLUDE (queue_name, assignee_id)
    WHERE status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED');
CREATE INDEX idx_workflow_tasks_priority ON flowable.workflow_tasks (priority DESC, created_at)
    WHERE status IN ('OPEN', 'ESCALATED') AND assignee_id IS NULL;
CREATE INDEX idx_workflow_tasks_due_date ON flowable.workflow_tasks (due_date) WHERE due_date IS NOT NULL;
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

-- ---- flowable/task_history
CREATE TABLE flowable.task_history (
    history_id BIGSERIAL,
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
    escalate_to VARCHAR(50),
    comments TEXT,
    action_data JSONB DEFAULT '{}'::jsonb,
    client_info JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT task_history_pkey PRIMARY KEY (history_id),
    CONSTRAINT chk_action_type CHECK (action_type IN ('CREATE', 'CLAIM', 'UNCLAIM', 'COMPLETE', 'DELEGATE', 'ESCALATE', 'UPDATE', 'CANCEL', 'REASSIGN', 'COMMENT'))
);

CREATE INDEX idx_task_history_process ON flowable.task_history (process_instance_id);
CREATE INDEX idx_task_history_action_by ON flowable.task_history (action_by);
CREATE INDEX idx_task_history_action_at ON flowable.task_history (action_at);
CREATE INDEX idx_task_history_task_action_at ON flowable.task_history (task_id, action_at DESC);

COMMENT ON TABLE flowable.task_history IS 'Audit trail: one row per task state change (CREATE, CLAIM, UNCLAIM, COMPLETE, DELEGATE, ESCALATE, UPDATE, CANCEL, REASSIGN) or COMMENT, with the true status and assignee before and after.';
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
COMMENT ON COLUMN flowable.task_history.client_info IS 'What the calling client said about itself (application, address), if anything.';

-- ---- flowable/workflow_variables
CREATE TABLE flowable.workflow_variables (
    variable_id BIGSERIAL,
    process_instance_id VARCHAR(64),
    task_id VARCHAR(64),
    variable_name VARCHAR(255) NOT NULL,
    variable_type VARCHAR(50) NOT NULL,
    variable_value TEXT,
    variable_json JSONB,
    created_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    updated_by VARCHAR(50),
    CONSTRAINT workflow_variables_pkey PRIMARY KEY (variable_id),
    CONSTRAINT fk_workflow_variables_process FOREIGN KEY (process_instance_id)
        REFERENCES flowable.process_instances (process_instance_id) ON DELETE CASCADE,
    CONSTRAINT fk_workflow_variables_task FOREIGN KEY (task_id)
        REFERENCES flowable.workflow_tasks (task_id) ON DELETE CASCADE,
    CONSTRAINT uq_workflow_variables_scope_name UNIQUE NULLS NOT DISTINCT (process_instance_id, task_id, variable_name),
    CONSTRAINT chk_variable_type CHECK (variable_type IN ('STRING', 'INTEGER', 'BOOLEAN', 'DATE', 'JSON', 'BINARY')),
    CONSTRAINT chk_variable_scope CHECK ((process_instance_id IS NOT NULL) OR (task_id IS NOT NULL))
);

CREATE INDEX idx_workflow_variables_process ON flowable.workflow_variables (process_instance_id) WHERE process_instance_id IS NOT NULL;
CREATE INDEX idx_workflow_variables_task ON flowable.workflow_variables (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX idx_workflow_variables_name ON flowable.workflow_variables (variable_name);

COMMENT ON TABLE flowable.workflow_variables IS 'Typed variables of a process instance (task_id NULL) or of one task; one row per name and scope. The source of truth: process_instances.variables is a projection of the process-scope rows.';
COMMENT ON COLUMN flowable.workflow_variables.task_id IS 'Set for a task-scope variable; NULL for a process-scope one.';
COMMENT ON COLUMN flowable.workflow_variables.variable_type IS 'STRING, INTEGER, BOOLEAN, DATE, JSON or BINARY; set through flowable.set_variable, which checks the value against it.';
COMMENT ON COLUMN flowable.workflow_variables.variable_value IS 'The value as text in its canonical form (INTEGER as digits, BOOLEAN true/false, DATE ISO 8601, BINARY base64); NULL for JSON.';
COMMENT ON COLUMN flowable.workflow_variables.variable_json IS 'The value as JSON (every type; the only form for JSON).';
COMMENT ON COLUMN flowable.workflow_variables.updated_by IS 'user_id that last set the value.';

-- ---- onecms/case_workflow_mapping
CREATE TABLE onecms.case_workflow_mapping (
    mapping_id BIGSERIAL,
    case_id BIGINT NOT NULL,
    process_instance_id VARCHAR(64) NOT NULL,
    workflow_type VARCHAR(100) NOT NULL,
    initiated_by VARCHAR(50) NOT NULL,
    initiated_at TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
    current_department VARCHAR(50),
    current_phase VARCHAR(100),
    expected_completion TIMESTAMPTZ,
    actual_completion TIMESTAMPTZ,
    routing_history JSONB DEFAULT '[]'::jsonb,
    metadata JSONB DEFAULT '{}'::jsonb,
    CONSTRAINT case_workflow_mapping_pkey PRIMARY KEY (mapping_id),
    CONSTRAINT uq_case_workflow_mapping_case_process UNIQUE (case_id, process_instance_id),
    CONSTRAINT fk_case_workflow_mapping_process FOREIGN KEY (process_instance_id)
        REFERENCES flowable.process_instances (process_instance_id),
    CONSTRAINT chk_case_workflow_mapping_routing_history CHECK (jsonb_typeof(routing_history) = 'array')
);

CREATE INDEX idx_case_workflow_case ON onecms.case_workflow_mapping (case_id);
CREATE INDEX idx_case_workflow_process ON onecms.case_workflow_mapping (process_instance_id);
CREATE INDEX idx_case_workflow_type ON onecms.case_workflow_mapping (workflow_type);

COMMENT ON TABLE onecms.case_workflow_mapping IS 'Which process instances route which case, and where the case is now.';
COMMENT ON COLUMN onecms.case_workflow_mapping.case_id IS 'The business case (onecms); no foreign key: cases live in the case management system.';
COMMENT ON COLUMN onecms.case_workflow_mapping.workflow_type IS 'Kind of routing, usually the process_key of the definition.';
COMMENT ON COLUMN onecms.case_workflow_mapping.current_department IS 'department_code of the department whose queue holds the case''s open task.';
COMMENT ON COLUMN onecms.case_workflow_mapping.current_phase IS 'Name of the step the case is at (the open task''s task_definition_key).';
COMMENT ON COLUMN onecms.case_workflow_mapping.expected_completion IS 'When the case should be done (the process''s sla_due_date).';
COMMENT ON COLUMN onecms.case_workflow_mapping.actual_completion IS 'When the process finished; NULL while it runs.';
COMMENT ON COLUMN onecms.case_workflow_mapping.routing_history IS 'JSON array, one element appended per queue change: {"at", "task_id", "queue", "department", "phase", "by"}.';

RESET ROLE;
