-- Typed process and task variables (case-routing-schema.md, table 10): the source of truth for
-- variables; process-scope values are copied into process_instances.variables by the database.
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
