-- Refuses a graph whose condition field or {{template}} path starts with input or steps: in a
-- drawn model those once meant the run's start input and step outputs, now spelled $input.* and
-- $steps.*, while every plain path is a process variable; such a path is ambiguous, so the
-- author says which one is meant. PW422 naming the node or edge. Called by
-- validate_workflow_graph. (BPMN names a variable input as $variables.input in its graph.)
CREATE OR REPLACE FUNCTION automation.validate_workflow_paths(p_data jsonb)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_bad record;
BEGIN
    SELECT x.what, x.id, x.path INTO v_bad
    FROM (SELECT 'node' AS what, n.node ->> 'id' AS id, n.node -> 'data' AS data, n.ord
          FROM jsonb_array_elements(p_data -> 'nodes') WITH ORDINALITY AS n(node, ord)
          UNION ALL
          SELECT 'edge', e.edge ->> 'id', e.edge -> 'data', 100000 + e.ord
          FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) WITH ORDINALITY AS e(edge, ord)) AS d
    CROSS JOIN LATERAL (
        SELECT d.what, d.id, f #>> '{}' AS path
        FROM jsonb_path_query(COALESCE(d.data, '{}'), 'strict $.**.field') AS f
        WHERE jsonb_typeof(f) = 'string'
        UNION ALL
        SELECT d.what, d.id, m[1]
        FROM jsonb_path_query(COALESCE(d.data, '{}'), 'strict $.** ? (@.type() == "string")') AS s,
             regexp_matches(s #>> '{}', '\{\{\s*([A-Za-z0-9_.$-]+)\s*\}\}', 'g') AS m
    ) AS x
    WHERE split_part(x.path, '.', 1) IN ('input', 'steps')
    ORDER BY d.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('%s %s uses the path %s, which is ambiguous', v_bad.what, v_bad.id, quote_literal(v_bad.path)),
            HINT = format('Write $%s for the run''s %s, or $variables.%s for the process variable named %s.',
                          v_bad.path, CASE split_part(v_bad.path, '.', 1) WHEN 'input' THEN 'start input' ELSE 'step outputs' END,
                          v_bad.path, split_part(v_bad.path, '.', 1));
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.validate_workflow_paths(jsonb) IS
    'Refuses (PW422 naming the node or edge) a condition field or {{template}} path whose first name is input or steps: ambiguous between the engine''s $input/$steps and a variable ($variables.input).';

REVOKE ALL ON FUNCTION automation.validate_workflow_paths(jsonb) FROM PUBLIC;
-- pure (no table access): validate_workflow_graph, granted to people, runs it as the caller
GRANT EXECUTE ON FUNCTION automation.validate_workflow_paths(jsonb) TO pgwf_app;
