-- Links a business case to the process instances routing it (case-routing-schema.md, table 11).
-- Kept current by the task service: department, phase, routing history, completion.
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
