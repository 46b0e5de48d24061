-- automation.workflow_approvals: the approval requested by one visit of an approval node.
-- Written by the engine; decided through automation.approve_step / automation.reject_step,
-- expired by automation.expire_workflow_approvals.
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
    client_info JSONB,
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
COMMENT ON COLUMN automation.workflow_approvals.client_info IS 'pgwf addition: who decided the approval and how (entitlements.client_info() at the decision); NULL while pending or when it expired.';
