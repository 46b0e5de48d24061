-- Validates the call activities of a React Flow graph (nodes of type call, docs/graph-model.md,
-- "Call activities"): calledElement a non-empty process key or {{template}}; calledElementBinding
-- latest, deployment or version, the last with calledElementVersion (a whole number or a
-- {{template}}); "in" and "out" lists of {"all": true}, {"source": name, "target": name} or
-- {"sourceExpression": text, "target": name}; businessKey text; inheritVariables and
-- inheritBusinessKey true or false. Which process the key names is found when the run gets
-- there (a version deployed later counts). Refuses with PW422 naming the node. Called by
-- validate_workflow_graph.
CREATE OR REPLACE FUNCTION automation.validate_workflow_calls(p_data jsonb)
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
    CROSS JOIN LATERAL (SELECT COALESCE(n.node -> 'data', '{}'::jsonb) AS d) c
    CROSS JOIN LATERAL (SELECT CASE
        WHEN jsonb_typeof(c.d -> 'calledElement') IS DISTINCT FROM 'string' OR btrim(c.d ->> 'calledElement') = ''
             OR length(c.d ->> 'calledElement') > 255
            THEN 'data.calledElement must name the process to call (a process key of at most 255 characters)'
        WHEN COALESCE(c.d ->> 'calledElementBinding', 'latest') NOT IN ('latest', 'deployment', 'version')
            THEN format('data.calledElementBinding %s is not latest, deployment or version', c.d -> 'calledElementBinding')
        WHEN c.d ->> 'calledElementBinding' = 'version'
             AND NOT COALESCE(jsonb_typeof(c.d -> 'calledElementVersion') = 'number' AND (c.d ->> 'calledElementVersion') ~ '^[1-9][0-9]{0,8}$'
                              OR (c.d ->> 'calledElementVersion') ~ '^\s*([1-9][0-9]{0,8}|\{\{[^{}]+\}\})\s*$', false)
            THEN 'binding version needs data.calledElementVersion: a whole number from 1 or a {{template}}'
        WHEN COALESCE(jsonb_typeof(c.d -> 'inheritVariables'), 'boolean') <> 'boolean'
             OR COALESCE(jsonb_typeof(c.d -> 'inheritBusinessKey'), 'boolean') <> 'boolean'
            THEN 'data.inheritVariables and data.inheritBusinessKey must be true or false'
        WHEN COALESCE(jsonb_typeof(c.d -> 'businessKey'), 'string') <> 'string'
            THEN 'data.businessKey must be text'
        WHEN COALESCE(jsonb_typeof(c.d -> 'in'), 'array') <> 'array' OR COALESCE(jsonb_typeof(c.d -> 'out'), 'array') <> 'array'
            THEN 'data.in and data.out must be lists of mappings'
        ELSE (SELECT format('mapping %s of data.%s must be {"all": true}, {"source": name, "target": name} or {"sourceExpression": text, "target": name}',
                            m.item, m.side)
              FROM (SELECT 'in' AS side, i AS item FROM jsonb_array_elements(COALESCE(c.d -> 'in', '[]'::jsonb)) i
                    UNION ALL
                    SELECT 'out', o FROM jsonb_array_elements(COALESCE(c.d -> 'out', '[]'::jsonb)) o) m
              WHERE NOT (jsonb_typeof(m.item) = 'object'
                         AND (COALESCE(m.item -> 'all' = 'true'::jsonb, false)
                              OR (COALESCE(m.item ->> 'target', '') ~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$'
                                  -- exactly one of source and sourceExpression
                                  AND (COALESCE(jsonb_typeof(m.item -> 'source') = 'string' AND m.item ->> 'source' <> '', false)
                                       <> COALESCE(jsonb_typeof(m.item -> 'sourceExpression') = 'string', false)))))
              LIMIT 1)
    END AS problem) x
    WHERE n.node ->> 'type' = 'call' AND x.problem IS NOT NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('call node %s: %s', v_bad.id, v_bad.problem),
            HINT = 'docs/graph-model.md, "Call activities", lists the settings of a call node.';
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.validate_workflow_calls(jsonb) IS
    'Refuses (PW422, naming the node) a call node without calledElement, with a binding other than latest/deployment/version (version needs calledElementVersion), or with malformed in/out mappings, businessKey or inherit flags.';

REVOKE ALL ON FUNCTION automation.validate_workflow_calls(jsonb) FROM PUBLIC;
-- pure (no table access): validate_workflow_graph, granted to people, runs it as the caller
GRANT EXECUTE ON FUNCTION automation.validate_workflow_calls(jsonb) TO pgwf_app;
