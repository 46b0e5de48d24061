-- pgwf 0003: the automation tables of automation-schema.md (workflows, nodes, edges, triggers,
-- instances, executions, approvals, notifications) and the trigger delivery log.
-- The same definitions as db/schema/automation/*.sql.
SET LOCAL ROLE pgwf_owner;

CREATE TABLE automation.workflows (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    name VARCHAR(255) NOT NULL,
    description TEXT,
    category VARCHAR(100) DEFAULT 'custom',
    version VARCHAR(20) NOT NULL DEFAULT '1.0.0',
    workflow_data JSONB NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT true,
    is_template BOOLEAN NOT NULL DEFAULT false,
    tags JSONB,
    configuration JSONB,
    created_by VARCHAR(100),
    updated_by VARCHAR(100),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    workflow_key VARCHAR(100) NOT NULL DEFAULT (gen_random_uuid())::text,
    CONSTRAINT workflows_pkey PRIMARY KEY (id),
    CONSTRAINT uq_workflows_key_version UNIQUE (workflow_key, version)
);

CREATE INDEX idx_workflows_category ON automation.workflows (category);
CREATE INDEX idx_workflows_active ON automation.workflows (is_active);
CREATE INDEX idx_workflows_template ON automation.workflows (is_template);
CREATE INDEX idx_workflows_created_by ON automation.workflows (created_by);
CREATE INDEX idx_workflows_name ON automation.workflows (name);

COMMENT ON TABLE automation.workflows IS 'One version of an automation workflow model. workflow_data is React Flow''s JSON; workflow_nodes and workflow_edges hold the same graph as rows. A version that is deployed or has runs is immutable: editing it makes a new version with the same workflow_key.';
COMMENT ON COLUMN automation.workflows.category IS 'Workflow categorization: vulnerability, compliance, incident, automation, custom (not constrained: sites add their own).';
COMMENT ON COLUMN automation.workflows.version IS 'Version label of this model version (1.0.0, 1.1.0, ...); unique within workflow_key.';
COMMENT ON COLUMN automation.workflows.workflow_data IS 'Complete React Flow graph: {nodes, edges, viewport} (docs/graph-model.md).';
COMMENT ON COLUMN automation.workflows.is_template IS 'true: a template to copy from, never deployed or run itself.';
COMMENT ON COLUMN automation.workflows.tags IS 'JSON array of string tags.';
COMMENT ON COLUMN automation.workflows.configuration IS 'Workflow-level settings: timeouts, retry policies, notifications, maxSteps (the loop guard of a run).';
COMMENT ON COLUMN automation.workflows.workflow_key IS 'pgwf addition: the stable key shared by every version of one model; deployed as flowable.workflow_definitions.process_key.';

CREATE TABLE automation.workflow_nodes (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    workflow_id UUID NOT NULL,
    node_id VARCHAR(100) NOT NULL,
    node_type VARCHAR(50) NOT NULL,
    label VARCHAR(255) NOT NULL,
    position_x INTEGER NOT NULL,
    position_y INTEGER NOT NULL,
    configuration JSONB,
    is_enabled BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT workflow_nodes_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_nodes_workflow FOREIGN KEY (workflow_id)
        REFERENCES automation.workflows (id) ON DELETE CASCADE,
    CONSTRAINT chk_workflow_nodes_type CHECK (node_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end'))
);

CREATE INDEX idx_workflow_nodes_workflow_id ON automation.workflow_nodes (workflow_id);
CREATE INDEX idx_workflow_nodes_type ON automation.workflow_nodes (node_type);
CREATE INDEX idx_workflow_nodes_enabled ON automation.workflow_nodes (is_enabled);
CREATE UNIQUE INDEX idx_workflow_nodes_unique ON automation.workflow_nodes (workflow_id, node_id);

COMMENT ON TABLE automation.workflow_nodes IS 'The nodes of one workflow version, one row per React Flow node of workflows.workflow_data (kept in step by automation.save_workflow).';
COMMENT ON COLUMN automation.workflow_nodes.node_id IS 'The React Flow node id; unique within the workflow version.';
COMMENT ON COLUMN automation.workflow_nodes.node_type IS 'trigger, action, condition, approval, integration, notification (the spec''s six), task, gateway, end (added for BPMN); docs/graph-model.md says what a visit of each does.';
COMMENT ON COLUMN automation.workflow_nodes.configuration IS 'The node''s React Flow data without label and enabled: node-specific settings.';
COMMENT ON COLUMN automation.workflow_nodes.is_enabled IS 'false: the engine passes through the node without doing its work.';

CREATE TABLE automation.workflow_edges (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    workflow_id UUID NOT NULL,
    edge_id VARCHAR(100) NOT NULL,
    source_node_id VARCHAR(100) NOT NULL,
    target_node_id VARCHAR(100) NOT NULL,
    source_handle VARCHAR(50),
    target_handle VARCHAR(50),
    edge_type VARCHAR(50) DEFAULT 'smoothstep',
    conditions JSONB,
    is_enabled BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT workflow_edges_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_edges_workflow FOREIGN KEY (workflow_id)
        REFERENCES automation.workflows (id) ON DELETE CASCADE,
    CONSTRAINT fk_workflow_edges_source FOREIGN KEY (workflow_id, source_node_id)
        REFERENCES automation.workflow_nodes (workflow_id, node_id) ON DELETE CASCADE,
    CONSTRAINT fk_workflow_edges_target FOREIGN KEY (workflow_id, target_node_id)
        REFERENCES automation.workflow_nodes (workflow_id, node_id) ON DELETE CASCADE
);

CREATE INDEX idx_workflow_edges_workflow_id ON automation.workflow_edges (workflow_id);
CREATE INDEX idx_workflow_edges_source ON automation.workflow_edges (source_node_id);
CREATE INDEX idx_workflow_edges_target ON automation.workflow_edges (target_node_id);
CREATE UNIQUE INDEX idx_workflow_edges_unique ON automation.workflow_edges (workflow_id, edge_id);

COMMENT ON TABLE automation.workflow_edges IS 'The edges of one workflow version, one row per React Flow edge of workflows.workflow_data (kept in step by automation.save_workflow).';
COMMENT ON COLUMN automation.workflow_edges.edge_id IS 'The React Flow edge id; unique within the workflow version.';
COMMENT ON COLUMN automation.workflow_edges.source_node_id IS 'node_id (not id) of the node the edge leaves, in the same workflow version (fk_workflow_edges_source).';
COMMENT ON COLUMN automation.workflow_edges.target_node_id IS 'node_id (not id) of the node the edge enters, in the same workflow version (fk_workflow_edges_target).';
COMMENT ON COLUMN automation.workflow_edges.source_handle IS 'Connection point on the source node; the outcome the edge follows: true/false on a condition, approved/rejected/expired on an approval.';
COMMENT ON COLUMN automation.workflow_edges.target_handle IS 'Connection point on the target node.';
COMMENT ON COLUMN automation.workflow_edges.edge_type IS 'React Flow edge type (drawing only).';
COMMENT ON COLUMN automation.workflow_edges.conditions IS 'Routing rule: {"conditions": [c, ...]} (all must hold) or {"default": true}; NULL is unconditional (docs/graph-model.md).';

CREATE TABLE automation.workflow_triggers (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    workflow_id UUID NOT NULL,
    trigger_type VARCHAR(50) NOT NULL,
    trigger_source VARCHAR(100),
    configuration JSONB,
    is_active BOOLEAN NOT NULL DEFAULT true,
    last_triggered TIMESTAMPTZ,
    trigger_count INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    token_hash VARCHAR(128),
    CONSTRAINT workflow_triggers_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_triggers_workflow FOREIGN KEY (workflow_id)
        REFERENCES automation.workflows (id) ON DELETE CASCADE,
    CONSTRAINT chk_workflow_triggers_type CHECK (trigger_type IN ('schedule', 'event', 'webhook', 'manual'))
);

CREATE INDEX idx_workflow_triggers_workflow_id ON automation.workflow_triggers (workflow_id);
CREATE INDEX idx_workflow_triggers_type ON automation.workflow_triggers (trigger_type);
CREATE INDEX idx_workflow_triggers_active ON automation.workflow_triggers (is_active);
CREATE INDEX idx_workflow_triggers_source ON automation.workflow_triggers (trigger_source);

COMMENT ON TABLE automation.workflow_triggers IS 'What starts a workflow: a cron schedule, a published event, a webhook delivery, or a person (manual).';
COMMENT ON COLUMN automation.workflow_triggers.trigger_type IS 'schedule, event, webhook or manual.';
COMMENT ON COLUMN automation.workflow_triggers.trigger_source IS 'Where the trigger comes from: cron, tenable, gitlab, api, ...; an event trigger matches events of this source.';
COMMENT ON COLUMN automation.workflow_triggers.configuration IS 'Trigger settings: cronExpression and timezone (schedule); severity, cvssThreshold, assetGroups, eventType (event); endpoint and allowedIPs (webhook).';
COMMENT ON COLUMN automation.workflow_triggers.last_triggered IS 'When the trigger last started a run (for a schedule: the cron minute that fired).';
COMMENT ON COLUMN automation.workflow_triggers.trigger_count IS 'How many times the trigger has started runs.';
COMMENT ON COLUMN automation.workflow_triggers.token_hash IS 'pgwf addition: hex SHA-256 of a webhook trigger''s bearer token; the token itself is never stored.';

CREATE TABLE automation.workflow_instances (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    workflow_id UUID NOT NULL,
    status VARCHAR(50) NOT NULL,
    priority VARCHAR(20) NOT NULL DEFAULT 'normal',
    started_at TIMESTAMPTZ DEFAULT NOW(),
    completed_at TIMESTAMPTZ,
    paused_at TIMESTAMPTZ,
    progress INTEGER NOT NULL DEFAULT 0,
    current_step VARCHAR(100),
    execution_context JSONB,
    output_data JSONB,
    error_details TEXT,
    triggered_by VARCHAR(100),
    trigger_source VARCHAR(100),
    execution_metrics JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    engine_state JSONB NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT workflow_instances_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_instances_workflow FOREIGN KEY (workflow_id)
        REFERENCES automation.workflows (id),
    CONSTRAINT chk_workflow_instance_status
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'paused', 'cancelled')),
    CONSTRAINT chk_workflow_instance_progress CHECK (progress >= 0 AND progress <= 100),
    CONSTRAINT chk_workflow_instance_priority CHECK (priority IN ('low', 'normal', 'high', 'critical'))
);

CREATE INDEX idx_workflow_instances_workflow_id ON automation.workflow_instances (workflow_id);
CREATE INDEX idx_workflow_instances_status ON automation.workflow_instances (status);
CREATE INDEX idx_workflow_instances_started_at ON automation.workflow_instances (started_at);
CREATE INDEX idx_workflow_instances_triggered_by ON automation.workflow_instances (triggered_by);
CREATE INDEX idx_workflow_instances_priority ON automation.workflow_instances (priority);

COMMENT ON TABLE automation.workflow_instances IS 'One run of a deployed workflow version (the engine''s record). flowable.process_instances has the row with the same id (as text) for the business side; automation.map_instance_status maps the two status vocabularies.';
COMMENT ON COLUMN automation.workflow_instances.workflow_id IS 'The workflow version the run started with and stays on.';
COMMENT ON COLUMN automation.workflow_instances.status IS 'pending (queued), running, completed, failed, paused, cancelled.';
COMMENT ON COLUMN automation.workflow_instances.completed_at IS 'When the run reached a terminal status (completed, failed or cancelled); NULL before.';
COMMENT ON COLUMN automation.workflow_instances.paused_at IS 'When the run was paused; NULL while it is not paused.';
COMMENT ON COLUMN automation.workflow_instances.progress IS 'Percentage 0-100 of the steps the run will take that are done; 100 exactly when the run completes.';
COMMENT ON COLUMN automation.workflow_instances.current_step IS 'node_id of the step the run is at (the latest open step, else the latest finished one).';
COMMENT ON COLUMN automation.workflow_instances.execution_context IS 'Input data and runtime context: {"input": ..., "variables": ...}.';
COMMENT ON COLUMN automation.workflow_instances.output_data IS 'Final output of the run: the variables when it completed.';
COMMENT ON COLUMN automation.workflow_instances.triggered_by IS 'User id that started the run, or the system trigger (schedule:<id>, event:<id>, webhook:<id>).';
COMMENT ON COLUMN automation.workflow_instances.trigger_source IS 'manual, schedule, event or webhook.';
COMMENT ON COLUMN automation.workflow_instances.execution_metrics IS 'Performance and timing metrics: step count, total and per-type duration (ms).';
COMMENT ON COLUMN automation.workflow_instances.engine_state IS 'pgwf addition: the executor''s routing state (edge tokens of pending joins, visit count, step limit, pause/cancel log). Written only by the engine.';

CREATE TABLE automation.workflow_executions (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    instance_id UUID NOT NULL,
    node_id VARCHAR(100) NOT NULL,
    step_type VARCHAR(50) NOT NULL,
    status VARCHAR(50) NOT NULL,
    started_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    duration_ms INTEGER,
    input_data JSONB,
    output_data JSONB,
    error_message TEXT,
    retry_count INTEGER NOT NULL DEFAULT 0,
    max_retries INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    incoming_edge_id VARCHAR(100),
    worker_id VARCHAR(100),
    lease_expires_at TIMESTAMPTZ,
    next_attempt_at TIMESTAMPTZ,
    lease_expiries INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT workflow_executions_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_executions_instance FOREIGN KEY (instance_id)
        REFERENCES automation.workflow_instances (id) ON DELETE CASCADE,
    CONSTRAINT chk_workflow_execution_status
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'skipped', 'waiting_approval')),
    CONSTRAINT chk_workflow_executions_step_type CHECK (step_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end'))
);

CREATE INDEX idx_workflow_executions_instance_id ON automation.workflow_executions (instance_id);
CREATE INDEX idx_workflow_executions_node_id ON automation.workflow_executions (node_id);
CREATE INDEX idx_workflow_executions_status ON automation.workflow_executions (status);
CREATE INDEX idx_workflow_executions_step_type ON automation.workflow_executions (step_type);
CREATE INDEX idx_workflow_executions_started_at ON automation.workflow_executions (started_at);
CREATE INDEX idx_workflow_executions_claimable ON automation.workflow_executions (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX idx_workflow_executions_leased ON automation.workflow_executions (lease_expires_at)
    WHERE status = 'running' AND lease_expires_at IS NOT NULL;

COMMENT ON TABLE automation.workflow_executions IS 'One visit of one node by a run. A step with side effects (action, integration) waits in status pending until a worker leases it (running), then completes or fails; human steps wait for their queue task.';
COMMENT ON COLUMN automation.workflow_executions.node_id IS 'node_id of the visited node in the run''s workflow version.';
COMMENT ON COLUMN automation.workflow_executions.step_type IS 'node_type of the visited node.';
COMMENT ON COLUMN automation.workflow_executions.status IS 'pending (waiting for a worker), running (leased, or a human task open), completed, failed, skipped (on a branch the run does not take), waiting_approval.';
COMMENT ON COLUMN automation.workflow_executions.duration_ms IS 'Execution duration in milliseconds, from started_at to completed_at.';
COMMENT ON COLUMN automation.workflow_executions.input_data IS 'Input of the step (the node''s input with {{paths}} filled from the run''s data).';
COMMENT ON COLUMN automation.workflow_executions.output_data IS 'Output of the step; its "variables" key, if any, is merged into the run''s variables.';
COMMENT ON COLUMN automation.workflow_executions.retry_count IS 'How many failed attempts have been retried.';
COMMENT ON COLUMN automation.workflow_executions.max_retries IS 'How many retries a failing attempt gets before the step fails.';
COMMENT ON COLUMN automation.workflow_executions.incoming_edge_id IS 'pgwf addition: edge_id of the edge the run arrived by (NULL for the trigger node).';
COMMENT ON COLUMN automation.workflow_executions.worker_id IS 'pgwf addition: the worker holding (or that last held) the lease of an external step.';
COMMENT ON COLUMN automation.workflow_executions.lease_expires_at IS 'pgwf addition: when the current worker''s lease runs out; the step is then claimable again.';
COMMENT ON COLUMN automation.workflow_executions.next_attempt_at IS 'pgwf addition: an external step is claimable from this time on (its creation, or the end of a retry backoff); workers take the oldest first.';
COMMENT ON COLUMN automation.workflow_executions.lease_expiries IS 'pgwf addition: how many times a worker''s lease on this step ran out.';

CREATE TABLE automation.workflow_approvals (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    execution_id UUID NOT NULL,
    approver_role VARCHAR(100) NOT NULL,
    approver_user_id VARCHAR(100),
    status VARCHAR(50) NOT NULL DEFAULT 'pending',
    requested_at TIMESTAMPTZ DEFAULT NOW(),
    responded_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ,
    approval_message TEXT,
    rejection_reason TEXT,
    approval_data JSONB,
    notifications_sent INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    task_id VARCHAR(64),
    CONSTRAINT workflow_approvals_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_approvals_execution FOREIGN KEY (execution_id)
        REFERENCES automation.workflow_executions (id) ON DELETE CASCADE,
    CONSTRAINT chk_workflow_approval_status CHECK (status IN ('pending', 'approved', 'rejected', 'expired'))
);

CREATE INDEX idx_workflow_approvals_execution_id ON automation.workflow_approvals (execution_id);
CREATE INDEX idx_workflow_approvals_role ON automation.workflow_approvals (approver_role);
CREATE INDEX idx_workflow_approvals_user_id ON automation.workflow_approvals (approver_user_id);
CREATE INDEX idx_workflow_approvals_status ON automation.workflow_approvals (status);
CREATE INDEX idx_workflow_approvals_expires_at ON automation.workflow_approvals (expires_at);

COMMENT ON TABLE automation.workflow_approvals IS 'The approval requested by one visit of an approval node; its approver_role is the candidate group of the queue task (task_id) people see in their inbox.';
COMMENT ON COLUMN automation.workflow_approvals.approver_role IS 'entitlements.workflow_roles.role_code whose holders may decide (manager, security_team, executive, ciso, ...).';
COMMENT ON COLUMN automation.workflow_approvals.approver_user_id IS 'The user who decided; NULL until then.';
COMMENT ON COLUMN automation.workflow_approvals.status IS 'pending, approved, rejected or expired.';
COMMENT ON COLUMN automation.workflow_approvals.expires_at IS 'Approval timeout: after it, run_maintenance expires the approval.';
COMMENT ON COLUMN automation.workflow_approvals.approval_data IS 'Additional approval context (the run data shown to the approver, the decision''s form data).';
COMMENT ON COLUMN automation.workflow_approvals.notifications_sent IS 'How many notifications about this approval have been delivered.';
COMMENT ON COLUMN automation.workflow_approvals.task_id IS 'pgwf addition: flowable.workflow_tasks.task_id of the queue task for this approval.';

CREATE TABLE automation.workflow_notifications (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    workflow_id UUID,
    instance_id UUID,
    execution_id UUID,
    notification_type VARCHAR(50) NOT NULL,
    channel VARCHAR(50) NOT NULL,
    recipients JSONB,
    subject VARCHAR(255),
    message TEXT,
    status VARCHAR(50) NOT NULL DEFAULT 'pending',
    sent_at TIMESTAMPTZ,
    delivered_at TIMESTAMPTZ,
    error_details TEXT,
    retry_count INTEGER NOT NULL DEFAULT 0,
    notification_data JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    next_attempt_at TIMESTAMPTZ,
    lease_owner VARCHAR(100),
    lease_expires_at TIMESTAMPTZ,
    CONSTRAINT workflow_notifications_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_notifications_workflow FOREIGN KEY (workflow_id)
        REFERENCES automation.workflows (id),
    CONSTRAINT fk_workflow_notifications_instance FOREIGN KEY (instance_id)
        REFERENCES automation.workflow_instances (id),
    CONSTRAINT fk_workflow_notifications_execution FOREIGN KEY (execution_id)
        REFERENCES automation.workflow_executions (id),
    CONSTRAINT chk_workflow_notifications_channel CHECK (channel IN ('email', 'slack', 'webhook', 'sms')),
    CONSTRAINT chk_workflow_notifications_status CHECK (status IN ('pending', 'sent', 'failed'))
);

CREATE INDEX idx_workflow_notifications_workflow_id ON automation.workflow_notifications (workflow_id);
CREATE INDEX idx_workflow_notifications_instance_id ON automation.workflow_notifications (instance_id);
CREATE INDEX idx_workflow_notifications_type ON automation.workflow_notifications (notification_type);
CREATE INDEX idx_workflow_notifications_channel ON automation.workflow_notifications (channel);
CREATE INDEX idx_workflow_notifications_status ON automation.workflow_notifications (status);
CREATE INDEX idx_workflow_notifications_deliverable ON automation.workflow_notifications (next_attempt_at NULLS FIRST)
    WHERE status = 'pending';
CREATE INDEX idx_workflow_notifications_execution_id ON automation.workflow_notifications (execution_id);

COMMENT ON TABLE automation.workflow_notifications IS 'Notification outbox: one row per message to deliver; the notifier leases pending rows, renders and sends them, and reports sent or failed (failures retry with backoff).';
COMMENT ON COLUMN automation.workflow_notifications.notification_type IS 'step_complete, workflow_complete, approval_request, error_alert (or a type named by a notification node).';
COMMENT ON COLUMN automation.workflow_notifications.channel IS 'email, slack, webhook or sms.';
COMMENT ON COLUMN automation.workflow_notifications.recipients IS 'JSON array of recipients (addresses, user ids, channel names).';
COMMENT ON COLUMN automation.workflow_notifications.status IS 'pending (to deliver), sent, failed (gave up).';
COMMENT ON COLUMN automation.workflow_notifications.retry_count IS 'Failed delivery attempts so far.';
COMMENT ON COLUMN automation.workflow_notifications.notification_data IS 'Channel-specific data: template, connection name, Slack blocks, ...';
COMMENT ON COLUMN automation.workflow_notifications.next_attempt_at IS 'pgwf addition: not deliverable before this time (retry backoff); NULL is at once.';
COMMENT ON COLUMN automation.workflow_notifications.lease_owner IS 'pgwf addition: the notifier process holding the delivery lease.';
COMMENT ON COLUMN automation.workflow_notifications.lease_expires_at IS 'pgwf addition: when the delivery lease runs out and another notifier may take the row.';

CREATE TABLE automation.workflow_trigger_deliveries (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    trigger_id UUID,
    trigger_type VARCHAR(50) NOT NULL,
    idempotency_key VARCHAR(255),
    source_address INET,
    accepted BOOLEAN NOT NULL,
    reason TEXT,
    instance_id UUID,
    payload JSONB,
    received_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT workflow_trigger_deliveries_pkey PRIMARY KEY (id),
    CONSTRAINT fk_workflow_trigger_deliveries_trigger FOREIGN KEY (trigger_id)
        REFERENCES automation.workflow_triggers (id) ON DELETE CASCADE,
    CONSTRAINT fk_workflow_trigger_deliveries_instance FOREIGN KEY (instance_id)
        REFERENCES automation.workflow_instances (id) ON DELETE SET NULL
);

CREATE UNIQUE INDEX uq_workflow_trigger_deliveries_idempotency
    ON automation.workflow_trigger_deliveries (trigger_id, idempotency_key)
    WHERE accepted AND idempotency_key IS NOT NULL;
CREATE INDEX idx_workflow_trigger_deliveries_received_at ON automation.workflow_trigger_deliveries (received_at);

COMMENT ON TABLE automation.workflow_trigger_deliveries IS 'pgwf addition: the log of webhook deliveries and events a trigger saw, accepted or refused (with the reason), and the run each accepted one started. A second accepted delivery with the same idempotency key for a trigger starts nothing.';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.trigger_id IS 'The trigger the delivery was for; NULL when no trigger has the webhook endpoint.';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.idempotency_key IS 'Sender''s delivery id: a repeat of an accepted key for the same trigger starts no second run.';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.source_address IS 'The sender''s IP address (webhooks).';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.accepted IS 'false: refused (wrong token, address outside allowedIPs, inactive trigger); nothing was started.';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.reason IS 'Why the delivery was refused, or that it was a duplicate.';
COMMENT ON COLUMN automation.workflow_trigger_deliveries.instance_id IS 'The run the delivery started.';

RESET ROLE;
