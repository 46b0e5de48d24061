-- Engine rule: an inclusive join may fire when no token of its scope, other than those waiting
-- at it, can still reach it (BPMN 2.0, 13.3.5: "no token on a path to an empty incoming flow").
-- A token inside a nested sub-process counts through its sub-process's token. Called by
-- engine_visit_join and engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_join_ready(
    p_instance_id uuid, p_workflow_id uuid, p_node_id varchar, p_scope_token_id bigint
)
RETURNS boolean
LANGUAGE plpgsql
STABLE
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
BEGIN
    RETURN NOT EXISTS (
        SELECT 1
        FROM automation.workflow_tokens t
        WHERE t.instance_id = p_instance_id
          AND t.scope_token_id IS NOT DISTINCT FROM p_scope_token_id
          AND NOT (t.node_id = p_node_id AND t.state = 'joining')
          AND (t.node_id = p_node_id
               OR automation.engine_can_reach(p_workflow_id,
                      ARRAY[t.node_id]::varchar[] || ARRAY(SELECT b.node_id FROM automation.workflow_nodes b
                                                           WHERE b.workflow_id = p_workflow_id AND b.node_type = 'event'
                                                             AND b.configuration ->> 'attachedTo' = t.node_id),
                      p_node_id)));
END;
$$;

COMMENT ON FUNCTION automation.engine_join_ready(uuid, uuid, varchar, bigint) IS
    'true when no token of the scope other than those joining at the node can still reach it (through flows, or the boundary events of the activity it waits in).';

REVOKE ALL ON FUNCTION automation.engine_join_ready(uuid, uuid, varchar, bigint) FROM PUBLIC;
