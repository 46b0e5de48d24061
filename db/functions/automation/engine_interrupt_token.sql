-- Engine rule: an interrupting event takes a token out of the activity it waits in (a boundary
-- event fired, an error or escalation caught on it): the activity's open step is cancelled with
-- its approval and queue task, every token inside it (a sub-process) is cancelled, and its
-- boundary subscriptions go. The token itself stays, to move on from the boundary event.
-- Called by engine_fire_subscription and engine_throw.
CREATE OR REPLACE FUNCTION automation.engine_interrupt_token(p_token_id bigint, p_reason text)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_token automation.workflow_tokens;
BEGIN
    SELECT * INTO v_token FROM automation.workflow_tokens WHERE id = p_token_id;
    PERFORM automation.engine_cancel_tokens(
        ARRAY(SELECT t.id FROM automation.workflow_tokens t WHERE t.scope_token_id = p_token_id), p_reason);
    PERFORM automation.engine_close_steps(v_token.instance_id, ARRAY[v_token.execution_id], p_reason);
    DELETE FROM automation.workflow_event_subscriptions WHERE token_id = p_token_id;
    -- a multi-instance body interrupted is an ordinary token again
    UPDATE automation.workflow_tokens SET execution_id = NULL, locals = NULL WHERE id = p_token_id;
END;
$$;

COMMENT ON FUNCTION automation.engine_interrupt_token(bigint, text) IS
    'Cancels what a token''s activity has open (its step, approval, queue task, the tokens inside a sub-process, its subscriptions) and keeps the token to move on.';

REVOKE ALL ON FUNCTION automation.engine_interrupt_token(bigint, text) FROM PUBLIC;
