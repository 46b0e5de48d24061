-- Engine rule: a message or signal that starts processes: each active deployed version whose
-- graph has a top-level start node (trigger) with that event and name gets a new run, started
-- there with the event's variables (and, for a message, its business key). Returns the ids of
-- the runs started. Called by engine_deliver_message and engine_deliver_signal.
CREATE OR REPLACE FUNCTION flowable.engine_start_by_event(
    p_event varchar, p_name varchar, p_business_key varchar, p_variables jsonb
)
RETURNS uuid[]
LANGUAGE plpgsql
AS $$
-- internal: reached only from SECURITY DEFINER functions (it runs as their owner)
DECLARE
    v_start record;
    v_started uuid[] := '{}';
BEGIN
    -- a loop over the few versions that start on this event
    FOR v_start IN
        SELECT n.workflow_id, n.node_id
        FROM flowable.workflow_definitions d
        JOIN automation.workflow_nodes n ON n.workflow_id = d.deployment_id::uuid
        WHERE d.is_active AND n.node_type = 'trigger' AND n.parent_node_id IS NULL
          AND n.configuration ->> 'event' = p_event AND n.configuration ->> 'name' = p_name
        ORDER BY d.process_key, n.node_id
    LOOP
        v_started := v_started || automation.engine_start_run(
            v_start.workflow_id, COALESCE(p_variables, '{}'::jsonb), 'normal',
            left(p_event || ':' || p_name, 100), 'event', p_business_key, v_start.node_id);
    END LOOP;
    RETURN v_started;
END;
$$;

COMMENT ON FUNCTION flowable.engine_start_by_event(varchar, varchar, varchar, jsonb) IS
    'Starts a run of every active version whose top-level start event is the message or signal of that name; returns their ids.';

REVOKE ALL ON FUNCTION flowable.engine_start_by_event(varchar, varchar, varchar, jsonb) FROM PUBLIC;
