-- The value a condition field path names in a run's data (docs/graph-model.md, Conditions):
-- input.<path> in the start input, steps.<node_id>.<path> in that node's latest output,
-- anything else in the run's variables. Used by evaluate_condition and fill_template.
CREATE OR REPLACE FUNCTION automation.resolve_field(p_context jsonb, p_field text)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN p_field IS NULL OR p_field = '' THEN NULL
        WHEN split_part(p_field, '.', 1) IN ('input', 'steps')
            THEN p_context #> string_to_array(p_field, '.')
        ELSE (p_context -> 'variables') #> string_to_array(p_field, '.')
    END;
$$;

COMMENT ON FUNCTION automation.resolve_field(jsonb, text) IS
    'Value of a dot path in a run context {"input", "steps", "variables"}: input.* and steps.<node>.* address those keys, any other path the variables. NULL when absent.';

REVOKE ALL ON FUNCTION automation.resolve_field(jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.resolve_field(jsonb, text) TO pgwf_app, pgwf_worker;
