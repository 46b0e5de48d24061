-- Roles that let users take part in workflows (case-routing-schema.md, table 2).
-- A role's role_code is what a task's candidate_groups name; queue_name gives its members sight of that queue.
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
COMMENT ON COLUMN entitlements.workflow_roles.permissions IS 'Permission flags as a JSON object; {"view_all": true} lets holders see every task, history row and variable of the queues of the role''s department; {"supervise": true} lets them see, reassign and cancel tasks in those queues.';
COMMENT ON COLUMN entitlements.workflow_roles.is_active IS 'An inactive role grants nothing.';
COMMENT ON COLUMN entitlements.workflow_roles.updated_at IS 'Time of the last change, kept by trigger audit_trigger_workflow_roles.';
