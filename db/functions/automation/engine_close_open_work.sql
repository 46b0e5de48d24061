-- Engine helper: when a run stops (failed, cancelled, or terminated by an end node), its open
-- steps fail with the reason, its pending approvals expire and its open queue tasks are
-- cancelled (with a task_history row), the child runs of its call activities are cancelled; its tokens and event subscriptions are deleted. Called by engine_fail_run, cancel_workflow, engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_close_open_work(p_instance_id uuid, p_reason text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- steps first: the task trigger then sees no open step and leaves the run alone
    UPDATE automation.workflow_executions
    SET status = 'failed',
        error_message = p_reason,
        completed_at = now(),
        lease_expires_at = NULL
    WHERE instance_id = p_instance_id AND status IN ('pending', 'running', 'waiting_approval');

    UPDATE automation.workflow_approvals wa
    SET status = 'expired',
        responded_at = now(),
        rejection_reason = p_reason
    FROM automation.workflow_executions we
    WHERE we.id = wa.execution_id AND we.instance_id = p_instance_id AND wa.status = 'pending';

    -- a task someone is completing right now is skipped (see engine_cancel_tasks)
    PERFORM automation.engine_cancel_tasks(
        ARRAY(SELECT t.task_id FROM flowable.workflow_tasks t
              WHERE t.process_instance_id = p_instance_id::text
                AND t.status NOT IN ('COMPLETED', 'CANCELLED')),
        p_reason);

    -- the runs its call activities started stop with it
    PERFORM automation.engine_cancel_child_runs(
        ARRAY(SELECT wi.id FROM automation.workflow_instances wi
              WHERE wi.parent_instance_id = p_instance_id AND wi.status IN ('pending', 'running', 'paused')),
        p_reason);

    -- nothing of the run moves any more: its tokens and what they waited for go
    DELETE FROM automation.workflow_tokens WHERE instance_id = p_instance_id;
    DELETE FROM automation.workflow_event_subscriptions WHERE instance_id = p_instance_id;
END;
$$;

COMMENT ON FUNCTION automation.engine_close_open_work(uuid, text) IS
    'Closes what a stopped run still has open: steps fail, pending approvals expire, open queue tasks are cancelled (task_history CANCEL by SYSTEM), child runs are cancelled, each with the reason; its tokens and their event subscriptions are deleted.';

REVOKE ALL ON FUNCTION automation.engine_close_open_work(uuid, text) FROM PUBLIC;
