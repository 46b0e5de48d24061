-- Engine rule: steps end without finishing (their tokens were taken away by a terminate end
-- in their sub-process or an interrupting event): each open one is cancelled with the reason,
-- its pending approval expires and its queue task is cancelled (skipped while someone holds
-- it; close_orphaned_tasks takes it later); the child run of a call step is cancelled. Steps first, so the task trigger finds no open
-- step and leaves the run alone. Called by engine_cancel_tokens and engine_interrupt_token.
CREATE OR REPLACE FUNCTION automation.engine_close_steps(p_instance_id uuid, p_execution_ids uuid[], p_reason text)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_steps uuid[];
    v_calls uuid[];
BEGIN
    WITH closed AS (
        UPDATE automation.workflow_executions we
        SET status = 'cancelled', error_message = p_reason, completed_at = now(), lease_expires_at = NULL
        WHERE we.id = ANY (p_execution_ids) AND we.status IN ('pending', 'running', 'waiting_approval')
        RETURNING we.id, we.step_type
    )
    SELECT COALESCE(array_agg(id), '{}'), COALESCE(array_agg(id) FILTER (WHERE step_type = 'call'), '{}')
    INTO v_steps, v_calls FROM closed;
    IF cardinality(v_steps) = 0 THEN
        RETURN;
    END IF;
    UPDATE automation.workflow_approvals wa
    SET status = 'expired', responded_at = now(), rejection_reason = p_reason
    WHERE wa.execution_id = ANY (v_steps) AND wa.status = 'pending';
    PERFORM automation.engine_cancel_tasks(
        ARRAY(SELECT t.task_id FROM flowable.workflow_tasks t
              WHERE t.process_instance_id = p_instance_id::text
                AND (t.task_data ->> 'execution_id') = ANY (v_steps::text[])
                AND t.status NOT IN ('COMPLETED', 'CANCELLED')),
        p_reason);
    -- a call step's child run stops with it
    IF cardinality(v_calls) > 0 THEN
        PERFORM automation.engine_cancel_child_runs(
            ARRAY(SELECT wi.id FROM automation.workflow_instances wi
                  WHERE wi.parent_instance_id = p_instance_id AND wi.parent_execution_id = ANY (v_calls)),
            p_reason);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_close_steps(uuid, uuid[], text) IS
    'Cancels the open steps among p_execution_ids of a run with the reason, expires their pending approvals and cancels their queue tasks (task_history CANCEL) and the child runs of call steps.';

REVOKE ALL ON FUNCTION automation.engine_close_steps(uuid, uuid[], text) FROM PUBLIC;
