-- Engine rule: a token that starts waiting in an activity (a worker step, a queue task, a
-- receive task, a sub-process) subscribes to the timer, message and signal boundary events
-- attached to it; they go when the token leaves the activity. Error and escalation boundaries
-- need no subscription: a thrown error or escalation looks for them. Returns a problem or NULL.
-- Called by engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_subscribe_boundaries(
    p_run automation.workflow_instances,
    p_token_id bigint,
    p_node_id varchar,
    p_ctx jsonb
)
RETURNS text
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_boundary automation.workflow_nodes;
    v_problem text;
BEGIN
    -- a loop over the activity's few boundary events
    FOR v_boundary IN
        SELECT * FROM automation.workflow_nodes b
        WHERE b.workflow_id = p_run.workflow_id AND b.node_type = 'event' AND b.is_enabled
          AND b.configuration ->> 'attachedTo' = p_node_id
          AND b.configuration ->> 'event' IN ('timer', 'message', 'signal')
        ORDER BY b.node_id
    LOOP
        v_problem := automation.engine_subscribe(p_run, p_token_id, v_boundary, p_ctx);
        IF v_problem IS NOT NULL THEN
            RETURN v_problem;
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.engine_subscribe_boundaries(automation.workflow_instances, bigint, varchar, jsonb) IS
    'Subscribes the token of an activity to the timer, message and signal boundary events attached to it.';

REVOKE ALL ON FUNCTION automation.engine_subscribe_boundaries(automation.workflow_instances, bigint, varchar, jsonb) FROM PUBLIC;
