-- One running or finished process (case-routing-schema.md, table 5): the business record of a run
-- (case, business key, SLA, priority). Written by the engine; read by the task service and reporting.
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
CREATE INDEX idx_process_instances_closed ON flowable.process_instances (workflow_id, completed_at)
    WHERE status IN ('COMPLETED', 'TERMINATED');
CREATE INDEX idx_process_instances_active ON flowable.process_instances (workflow_id, started_at) WHERE status = 'ACTIVE';

COMMENT ON INDEX flowable.idx_process_instances_closed IS 'History cleanup: closed process instances of each definition, oldest first (automation.expired_history reads only the definitions with a time-to-live, each up to its cut-off).';
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
