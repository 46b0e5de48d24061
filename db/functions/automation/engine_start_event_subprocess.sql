-- Engine rule: the start event of an event sub-process fires in a scope (p_scope_token_id; NULL:
-- the run's top level): by its timer, message or signal subscription, or by an error or
-- escalation thrown inside the scope (engine_throw). An interrupting start cancels every token
-- of the scope and the other event sub-process starts listening there; a non-interrupting one
-- leaves them running. Either way a token enters the event sub-process in that scope, where it
-- runs as an embedded sub-process; when the scope then has no token left it completes as usual.
-- Called by engine_fire_subscription and engine_throw.
CREATE OR REPLACE FUNCTION automation.engine_start_event_subprocess(
    p_run automation.workflow_instances,
    p_scope_token_id bigint,
    p_start automation.workflow_nodes,
    p_reason text
)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
BEGIN
    IF COALESCE((p_start.configuration ->> 'interrupting')::boolean, true) THEN
        PERFORM automation.engine_cancel_tokens(
            ARRAY(SELECT t.id FROM automation.workflow_tokens t
                  WHERE t.instance_id = p_run.id AND t.scope_token_id IS NOT DISTINCT FROM p_scope_token_id),
            p_reason);
        DELETE FROM automation.workflow_event_subscriptions s
        USING automation.workflow_nodes n
        WHERE s.instance_id = p_run.id AND s.token_id IS NOT DISTINCT FROM p_scope_token_id
          AND n.workflow_id = p_run.workflow_id AND n.node_id = s.node_id
          AND COALESCE((n.configuration ->> 'start')::boolean, false);
    END IF;
    INSERT INTO automation.workflow_tokens (instance_id, scope_token_id, node_id, state)
    VALUES (p_run.id, p_scope_token_id, p_start.parent_node_id, 'arrived');
END;
$$;

COMMENT ON FUNCTION automation.engine_start_event_subprocess(automation.workflow_instances, bigint, automation.workflow_nodes, text) IS
    'Starts an event sub-process in a scope: an interrupting start first cancels the scope''s tokens and its other event sub-process starts; a token then enters the event sub-process.';

REVOKE ALL ON FUNCTION automation.engine_start_event_subprocess(automation.workflow_instances, bigint, automation.workflow_nodes, text) FROM PUBLIC;
