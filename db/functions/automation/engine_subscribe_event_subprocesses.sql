-- Engine rule: a scope starts (a run, or a sub-process entered by its token): the timer, message
-- and signal starts of the event sub-processes directly inside it start listening, for as long as
-- the scope lives (their subscriptions belong to the scope's token; NULL: the run's top level).
-- Error and escalation starts need no subscription: engine_throw looks for them. Returns a
-- problem (a timer or name wrong once filled) or NULL. Called by engine_start_run and
-- engine_visit_subprocess.
CREATE OR REPLACE FUNCTION automation.engine_subscribe_event_subprocesses(
    p_run automation.workflow_instances,
    p_scope_token_id bigint,
    p_scope_node_id varchar,
    p_ctx jsonb
)
RETURNS text
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_start automation.workflow_nodes;
    v_problem text;
BEGIN
    -- a loop over the few event sub-processes of one scope
    FOR v_start IN
        SELECT s.*
        FROM automation.workflow_nodes es
        JOIN automation.workflow_nodes s ON s.workflow_id = es.workflow_id AND s.parent_node_id = es.node_id
        WHERE es.workflow_id = p_run.workflow_id AND es.node_type = 'subprocess' AND es.is_enabled
          AND COALESCE((es.configuration ->> 'triggeredByEvent')::boolean, false)
          AND es.parent_node_id IS NOT DISTINCT FROM p_scope_node_id
          AND s.node_type = 'event' AND COALESCE((s.configuration ->> 'start')::boolean, false)
          AND s.configuration ->> 'event' IN ('timer', 'message', 'signal')
        ORDER BY es.node_id
    LOOP
        v_problem := automation.engine_subscribe(p_run, p_scope_token_id, v_start, p_ctx);
        IF v_problem IS NOT NULL THEN
            RETURN v_problem;
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.engine_subscribe_event_subprocesses(automation.workflow_instances, bigint, varchar, jsonb) IS
    'Subscribes the timer, message and signal starts of the event sub-processes directly inside a scope (NULL: the run''s top level) to the scope''s token.';

REVOKE ALL ON FUNCTION automation.engine_subscribe_event_subprocesses(automation.workflow_instances, bigint, varchar, jsonb) FROM PUBLIC;
