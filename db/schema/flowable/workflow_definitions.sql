-- Registry of deployed process definitions, one row per (process_key, process_version)
-- (case-routing-schema.md, table 4). Written by deployment; read by process start and reporting.
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
    ignored_elements JSONB NOT NULL DEFAULT '[]'::jsonb,
    start_rules JSONB NOT NULL DEFAULT '{}'::jsonb,
    history_ttl_days INTEGER,
    CONSTRAINT workflow_definitions_pkey PRIMARY KEY (workflow_id),
    CONSTRAINT uq_workflow_definitions_key_version UNIQUE (process_key, process_version),
    CONSTRAINT chk_workflow_definitions_version CHECK (process_version >= 1),
    CONSTRAINT chk_workflow_definitions_ignored_elements CHECK (jsonb_typeof(ignored_elements) = 'array'),
    CONSTRAINT chk_workflow_definitions_start_rules CHECK (jsonb_typeof(start_rules) = 'object'),
    CONSTRAINT chk_workflow_definitions_history_ttl_days CHECK (history_ttl_days BETWEEN 0 AND 36500)
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
COMMENT ON COLUMN flowable.workflow_definitions.ignored_elements IS 'pgwf addition: the descriptive BPMN elements this version keeps and never runs, one {kind, id, in, reason} object each in document order (flowable.bpmn_compile).';
COMMENT ON COLUMN flowable.workflow_definitions.start_rules IS 'pgwf addition: who may start this version ({"candidateStarterGroups": [role codes], "candidateStarterUsers": [user ids]}; none: anyone) and "initiatorVariable", the variable set to the starter; enforced by flowable.start_process.';
COMMENT ON COLUMN flowable.workflow_definitions.history_ttl_days IS 'pgwf addition: days a closed process instance of this version is kept before automation.purge_history removes it (BPMN camunda:historyTimeToLive or flowable:historyTimeToLive at deploy); NULL: the setting pgwf.history_ttl_days (unset: kept for ever).';
