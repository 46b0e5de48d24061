-- Engine rule: the run a call activity started failed or was cancelled. The call step fails
-- with the child's reason. An error the child threw and did not catch (BPMN 2.0, 10.5.4: "error
-- 'CODE' was thrown and no boundary event caught it") is thrown again at the call activity,
-- where its boundary events and the caller's scopes may catch it (engine_throw); any other end
-- is the caller's problem, naming the call node and the child run. Called by engine_visit_call
-- and engine_call_ended.
CREATE OR REPLACE FUNCTION automation.engine_call_failed(
    p_run automation.workflow_instances,
    p_token_id bigint,
    p_execution_id uuid,
    p_node_id varchar,
    p_child automation.workflow_instances
)
RETURNS text
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    -- the one message engine_throw gives an uncaught error; the code is quoted as by quote_literal
    -- (after "step <id> (node <id>): " when a worker step threw it, automation.fail_step)
    v_error text[] := CASE WHEN p_child.error_details LIKE '%error % was thrown and no boundary event caught it'
                           THEN regexp_match(p_child.error_details,
                                             '^(?:step \S+ \(node [^)]*\): )?error (''(.*)''|\(no code\)) was thrown and no boundary event caught it$') END;
BEGIN
    UPDATE automation.workflow_executions
    SET status = 'failed', completed_at = clock_timestamp(),
        duration_ms = floor(extract(epoch FROM (clock_timestamp() - COALESCE(started_at, created_at))) * 1000)::integer,
        error_message = left(format('the called run %s was %s: %s', p_child.id, p_child.status, p_child.error_details), 10000)
    WHERE id = p_execution_id;
    IF p_child.status = 'failed' AND v_error IS NOT NULL THEN
        RETURN automation.engine_throw(p_run, 'error', replace(v_error[2], '''''', ''''),
                                       (SELECT t.scope_token_id FROM automation.workflow_tokens t WHERE t.id = p_token_id),
                                       p_token_id);
    END IF;
    RETURN format('call activity %s: the called run %s was %s: %s', p_node_id, p_child.id, p_child.status,
                  COALESCE(p_child.error_details, '(no reason given)'));
END;
$$;

COMMENT ON FUNCTION automation.engine_call_failed(automation.workflow_instances, bigint, uuid, varchar, automation.workflow_instances) IS
    'A call activity''s child run failed or was cancelled: fails the call step; an uncaught BPMN error of the child is thrown again at the call activity (engine_throw), anything else is returned as the caller''s problem.';

REVOKE ALL ON FUNCTION automation.engine_call_failed(automation.workflow_instances, bigint, uuid, varchar, automation.workflow_instances) FROM PUBLIC;
