-- Engine helper: the variables a call activity passes to the run it calls (its "in" mapping,
-- read from the caller's data) or takes back when that run completes (its "out" mapping, read
-- from the called run's data). A mapping is a list of {"all": true} (every variable),
-- {"source": name, "target": name} (one variable; JSON null when it is not set) and
-- {"sourceExpression": "{{path}}", "target": name} (a template filled from the data); later
-- items win over earlier ones. Called by engine_visit_call and engine_call_ended.
CREATE OR REPLACE FUNCTION automation.engine_call_variables(p_mapping jsonb, p_ctx jsonb)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
BEGIN
    -- internal: reached only from the engine's SECURITY DEFINER functions
    RETURN (
        SELECT COALESCE(jsonb_object_agg(x.key, x.value ORDER BY m.ord, x.sub), '{}'::jsonb)
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_mapping) = 'array' THEN p_mapping ELSE '[]'::jsonb END)
             WITH ORDINALITY AS m(item, ord)
        CROSS JOIN LATERAL (
            SELECT v.key, v.value, 0 AS sub
            FROM jsonb_each(COALESCE(p_ctx -> 'variables', '{}'::jsonb)) v
            WHERE (m.item ->> 'all')::boolean IS TRUE
            UNION ALL
            SELECT m.item ->> 'target',
                   CASE WHEN m.item ? 'sourceExpression' THEN automation.fill_template(m.item -> 'sourceExpression', p_ctx)
                        ELSE COALESCE(p_ctx #> ARRAY['variables', m.item ->> 'source'], 'null'::jsonb) END,
                   1
            WHERE (m.item ->> 'all')::boolean IS NOT TRUE AND m.item ->> 'target' IS NOT NULL
        ) x);
END;
$$;

COMMENT ON FUNCTION automation.engine_call_variables(jsonb, jsonb) IS
    'The variables a call activity''s in or out mapping yields from run data: {"all": true}, {"source", "target"} or {"sourceExpression", "target"} items, later ones winning.';

REVOKE ALL ON FUNCTION automation.engine_call_variables(jsonb, jsonb) FROM PUBLIC;
