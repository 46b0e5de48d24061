-- Engine rule: tokens are taken away before they finish (a terminate end inside their
-- sub-process, an interrupting boundary event on their activity). Every token below them in
-- nested sub-processes goes too; their open steps are cancelled with the reason, their pending
-- approvals expire and their queue tasks are cancelled; their event subscriptions go with them.
-- Called by engine_visit_automatic and the event functions.
CREATE OR REPLACE FUNCTION automation.engine_cancel_tokens(p_token_ids bigint[], p_reason text)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_steps uuid[];
BEGIN
    IF cardinality(p_token_ids) = 0 THEN
        RETURN;
    END IF;
    -- steps first: the task trigger then sees no open step and leaves the run alone
    WITH RECURSIVE doomed(id, execution_id) AS (
        SELECT t.id, t.execution_id FROM automation.workflow_tokens t WHERE t.id = ANY (p_token_ids)
        UNION ALL
        SELECT t.id, t.execution_id FROM automation.workflow_tokens t JOIN doomed d ON t.scope_token_id = d.id
    ), closed AS (
        UPDATE automation.workflow_executions we
        SET status = 'cancelled', error_message = p_reason, completed_at = now(), lease_expires_at = NULL
        FROM doomed d
        WHERE we.id = d.execution_id AND we.status IN ('pending', 'running', 'waiting_approval')
        RETURNING we.id
    )
    SELECT COALESCE(array_agg(id), '{}') INTO v_steps FROM closed;

    UPDATE automation.workflow_approvals wa
    SET status = 'expired', responded_at = now(), rejection_reason = p_reason
    WHERE wa.execution_id = ANY (v_steps) AND wa.status = 'pending';

    PERFORM automation.engine_cancel_tasks(
        ARRAY(SELECT t.task_id FROM flowable.workflow_tasks t
              WHERE t.process_instance_id = (SELECT instance_id::text FROM automation.workflow_tokens WHERE id = p_token_ids[1])
                AND (t.task_data ->> 'execution_id') = ANY (v_steps::text[])
                AND t.status NOT IN ('COMPLETED', 'CANCELLED')),
        p_reason);

    DELETE FROM automation.workflow_tokens WHERE id = ANY (p_token_ids);
END;
$$;

COMMENT ON FUNCTION automation.engine_cancel_tokens(bigint[], text) IS
    'Removes tokens and every token nested below them: their open steps are cancelled, pending approvals expire, queue tasks are cancelled (task_history CANCEL), each with the reason; their subscriptions go with them.';

REVOKE ALL ON FUNCTION automation.engine_cancel_tokens(bigint[], text) FROM PUBLIC;
