-- Engine rule: tokens are taken away before they finish (a terminate end inside their
-- sub-process, an interrupting event on the sub-process they run in). Every token below them
-- in nested sub-processes goes too; their open steps are closed (engine_close_steps) and their
-- event subscriptions go with them. Called by engine_visit_automatic and engine_interrupt_token.
CREATE OR REPLACE FUNCTION automation.engine_cancel_tokens(p_token_ids bigint[], p_reason text)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_instance_id uuid;
    v_steps uuid[];
BEGIN
    IF cardinality(p_token_ids) = 0 THEN
        RETURN;
    END IF;
    WITH RECURSIVE doomed(id, instance_id, execution_id) AS (
        SELECT t.id, t.instance_id, t.execution_id FROM automation.workflow_tokens t WHERE t.id = ANY (p_token_ids)
        UNION ALL
        SELECT t.id, t.instance_id, t.execution_id FROM automation.workflow_tokens t JOIN doomed d ON t.scope_token_id = d.id
    )
    SELECT min(instance_id::text)::uuid, COALESCE(array_agg(execution_id) FILTER (WHERE execution_id IS NOT NULL), '{}')
    INTO v_instance_id, v_steps
    FROM doomed;
    PERFORM automation.engine_close_steps(v_instance_id, v_steps, p_reason);
    DELETE FROM automation.workflow_tokens WHERE id = ANY (p_token_ids);
END;
$$;

COMMENT ON FUNCTION automation.engine_cancel_tokens(bigint[], text) IS
    'Removes tokens and every token nested below them: their open steps are cancelled, pending approvals expire, queue tasks are cancelled (task_history CANCEL), each with the reason; their subscriptions go with them.';

REVOKE ALL ON FUNCTION automation.engine_cancel_tokens(bigint[], text) FROM PUBLIC;
