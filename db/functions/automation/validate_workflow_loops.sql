-- Validates the multi-instance and loop settings of a React Flow graph (data.multiInstance,
-- docs/graph-model.md, "Multi-instance and loops"): only on an activity; an object with exactly
-- one of loopCardinality (a whole number or a {{template}}), collection (a variable path) or
-- loopCondition (a standard loop); elementVariable only with a collection and a plain name;
-- outputCollection (a plain name) with outputElement (a variable path), not on a loop;
-- sequential and testBefore booleans; loopMaximum a positive whole number; completionCondition
-- and loopCondition well-formed conditions. Refuses with PW422 naming the node. Called by
-- validate_workflow_graph.
CREATE OR REPLACE FUNCTION automation.validate_workflow_loops(p_data jsonb)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_bad record;
BEGIN
    SELECT n.node ->> 'id' AS id, x.problem INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') n(node)
    CROSS JOIN LATERAL (SELECT n.node #> '{data,multiInstance}' AS mi) m
    CROSS JOIN LATERAL (SELECT CASE
        WHEN n.node ->> 'type' NOT IN ('task', 'approval', 'action', 'integration', 'notification', 'subprocess',
                                       'manual', 'receive', 'call')
            THEN format('a %s node cannot repeat; multiInstance goes on an activity', n.node ->> 'type')
        WHEN jsonb_typeof(m.mi) <> 'object'
            THEN 'data.multiInstance must be an object'
        WHEN (m.mi ? 'loopCardinality')::integer + (m.mi ? 'collection')::integer + (m.mi ? 'loopCondition')::integer <> 1
            THEN 'data.multiInstance needs exactly one of loopCardinality, collection, loopCondition'
        WHEN m.mi ? 'loopCardinality' AND NOT (jsonb_typeof(m.mi -> 'loopCardinality') = 'number'
                                                AND (m.mi ->> 'loopCardinality') ~ '^[0-9]{1,6}$'
                                              OR (m.mi ->> 'loopCardinality') ~ '^\s*\{\{[^{}]+\}\}\s*$')
            THEN format('loopCardinality %s is neither a whole number nor a {{template}}', m.mi -> 'loopCardinality')
        WHEN m.mi ? 'collection' AND COALESCE(m.mi ->> 'collection', '') !~ '^\$?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$'
            THEN format('collection %s is not a variable path', COALESCE(m.mi -> 'collection', 'null'::jsonb))
        WHEN m.mi ? 'elementVariable' AND (NOT m.mi ? 'collection'
                                           OR COALESCE(m.mi ->> 'elementVariable', '') !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$')
            THEN 'elementVariable must be a plain name, and needs a collection'
        WHEN (m.mi ? 'outputCollection') <> (m.mi ? 'outputElement') OR (m.mi ? 'outputCollection' AND m.mi ? 'loopCondition')
            THEN 'outputCollection and outputElement go together, on a multi-instance activity'
        WHEN m.mi ? 'outputCollection' AND (COALESCE(m.mi ->> 'outputCollection', '') !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$'
                                            OR COALESCE(m.mi ->> 'outputElement', '') !~ '^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$')
            THEN 'outputCollection must be a plain name and outputElement a variable path'
        WHEN COALESCE(jsonb_typeof(m.mi -> 'sequential'), 'boolean') <> 'boolean'
             OR COALESCE(jsonb_typeof(m.mi -> 'testBefore'), 'boolean') <> 'boolean'
            THEN 'sequential and testBefore must be true or false'
        WHEN m.mi ? 'loopMaximum' AND NOT (jsonb_typeof(m.mi -> 'loopMaximum') = 'number' AND (m.mi ->> 'loopMaximum') ~ '^[1-9][0-9]{0,5}$')
            THEN 'loopMaximum must be a whole number from 1'
        WHEN m.mi ? 'completionCondition' AND automation.condition_problem(m.mi -> 'completionCondition') IS NOT NULL
            THEN 'completionCondition: ' || automation.condition_problem(m.mi -> 'completionCondition')
        WHEN m.mi ? 'loopCondition' AND automation.condition_problem(m.mi -> 'loopCondition') IS NOT NULL
            THEN 'loopCondition: ' || automation.condition_problem(m.mi -> 'loopCondition')
        END AS problem) x
    WHERE n.node #> '{data,multiInstance}' IS NOT NULL AND x.problem IS NOT NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('node %s: %s', v_bad.id, v_bad.problem),
            HINT = 'multiInstance: {"loopCardinality": n | "collection": path, "elementVariable": name, "outputCollection": name, "outputElement": path, "sequential", "completionCondition"} or {"loopCondition", "loopMaximum", "testBefore"}';
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.validate_workflow_loops(jsonb) IS
    'Refuses (PW422, naming the node) a data.multiInstance on a node that is no activity, without exactly one of loopCardinality, collection or loopCondition, or with a malformed cardinality, path, element variable, output collection, flag, maximum or condition.';

REVOKE ALL ON FUNCTION automation.validate_workflow_loops(jsonb) FROM PUBLIC;
-- pure (no table access): validate_workflow_graph, granted to people, runs it as the caller
GRANT EXECUTE ON FUNCTION automation.validate_workflow_loops(jsonb) TO pgwf_app;
