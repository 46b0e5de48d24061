-- Grants and row-level security of automation.workflow_approvals.
-- A person sees the approvals they decided, those their roles may decide, and those of the
-- runs they started; deciding goes through automation.approve_step / reject_step.
GRANT SELECT ON automation.workflow_approvals TO pgwf_app;

ALTER TABLE automation.workflow_approvals ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation.workflow_approvals FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON automation.workflow_approvals TO pgwf_owner USING (true) WITH CHECK (true);
CREATE POLICY person_read ON automation.workflow_approvals FOR SELECT TO pgwf_app
    USING (
        approver_user_id = (SELECT entitlements.current_active_user_id())
        OR automation.user_holds_role((SELECT entitlements.current_active_user_id()), approver_role)
        OR EXISTS (
            SELECT 1 FROM automation.workflow_executions we
            WHERE we.id = execution_id AND automation.can_see_instance(we.instance_id)
        )
    );
