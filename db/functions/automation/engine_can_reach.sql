-- Engine helper: whether any of the source nodes can still reach the target node through
-- enabled edges of the workflow version. A waiting join is visited only when no other branch
-- of the run can still arrive (so branches a condition did not take are never waited for).
-- PL/pgSQL so the recursive query's plan is cached across the engine's calls.
CREATE OR REPLACE FUNCTION automation.engine_can_reach(p_workflow_id uuid, p_sources varchar[], p_target varchar)
RETURNS boolean
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
    RETURN EXISTS (
        WITH RECURSIVE reach(node_id) AS (
            SELECT e.target_node_id
            FROM automation.workflow_edges e
            WHERE e.workflow_id = p_workflow_id AND e.is_enabled AND e.source_node_id = ANY (p_sources)
            UNION
            SELECT e.target_node_id
            FROM reach r
            JOIN automation.workflow_edges e
              ON e.workflow_id = p_workflow_id AND e.is_enabled AND e.source_node_id = r.node_id
        )
        SELECT 1 FROM reach WHERE node_id = p_target);
END;
$$;

COMMENT ON FUNCTION automation.engine_can_reach(uuid, varchar[], varchar) IS
    'true when a path of enabled edges leads from one of the source nodes to the target node.';

REVOKE ALL ON FUNCTION automation.engine_can_reach(uuid, varchar[], varchar) FROM PUBLIC;
