-- Expires the pending approvals whose expires_at has passed. Each expired approval's step
-- follows the approval node's "expired" edge when the model draws one; otherwise the step fails
-- ("Approval expired") and so does its run. Its queue task is cancelled. Called by
-- automation.run_maintenance (every minute) or by a DBA.
CREATE OR REPLACE FUNCTION automation.expire_workflow_approvals()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_expired_count integer := 0;
    v_due record;
    v_approval automation.workflow_approvals;
    v_step automation.workflow_executions;
    v_run automation.workflow_instances;
    v_has_edge boolean;
BEGIN
    -- A loop: each expired approval routes its own run (locked run first, then step, then
    -- approval, as everywhere in the engine). A run locked by someone else is skipped, never
    -- waited for: this transaction may already hold queue rows (a task cancelled by an earlier
    -- expiry, or escalation earlier in run_maintenance), and the run's holder may be waiting
    -- for one of them (a completion locks task, run, then queue). The next call expires it.
    FOR v_due IN
        SELECT wa.id, we.instance_id
        FROM automation.workflow_approvals wa
        JOIN automation.workflow_executions we ON we.id = wa.execution_id
        WHERE wa.status = 'pending' AND wa.expires_at < NOW()
        ORDER BY wa.expires_at
    LOOP
        SELECT * INTO v_run FROM automation.workflow_instances WHERE id = v_due.instance_id FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND;
        SELECT * INTO v_approval FROM automation.workflow_approvals WHERE id = v_due.id FOR UPDATE;
        CONTINUE WHEN v_approval.status <> 'pending' OR NOT v_approval.expires_at < NOW();
        SELECT * INTO v_step FROM automation.workflow_executions WHERE id = v_approval.execution_id FOR UPDATE;

        UPDATE automation.workflow_approvals
        SET status = 'expired',
            updated_at = NOW()
        WHERE id = v_approval.id;
        v_expired_count := v_expired_count + 1;

        IF v_step.status IN ('pending', 'running', 'waiting_approval') THEN
            SELECT EXISTS (
                SELECT 1 FROM automation.workflow_edges e
                WHERE e.workflow_id = v_run.workflow_id AND e.source_node_id = v_step.node_id
                  AND e.source_handle = 'expired' AND e.is_enabled)
            INTO v_has_edge;
            IF v_has_edge AND v_run.status IN ('running', 'paused') THEN
                PERFORM automation.engine_finish_step(v_step.id,
                    jsonb_build_object('decision', 'expired', 'expired_at', v_approval.expires_at), 'expired');
            ELSE
                UPDATE automation.workflow_executions
                SET status = 'failed',
                    error_message = 'Approval expired',
                    completed_at = NOW()
                WHERE id = v_step.id;
                PERFORM automation.engine_fail_run(v_run.id,
                    format('the approval of node %s (role %s) expired at %s', v_step.node_id,
                           v_approval.approver_role, v_approval.expires_at));
            END IF;
        END IF;

        -- a task being completed right now is skipped: that completion finds the step closed
        PERFORM automation.engine_cancel_tasks(ARRAY[v_approval.task_id], 'approval expired');
    END LOOP;

    RETURN v_expired_count;
END;
$$;

COMMENT ON FUNCTION automation.expire_workflow_approvals() IS
    'Expires pending approvals past expires_at; each step follows its node''s expired edge if drawn, else fails (error "Approval expired") with its run; the approval''s queue task is cancelled. A run locked by another transaction is skipped (left for the next call), never waited for. Returns how many approvals expired.';

REVOKE ALL ON FUNCTION automation.expire_workflow_approvals() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.expire_workflow_approvals() TO pgwf_worker;
