-- The value a field path names in a run's data (docs/graph-model.md, Conditions): every path is
-- a process variable, whatever its name (input, steps, ...); the engine's own data has paths no
-- variable name can take: $input.<path> (the start input), $steps.<node_id>.<path> (that node's
-- latest output), $variables.<path> (the variables, spelled out). Used by evaluate_condition and
-- fill_template.
CREATE OR REPLACE FUNCTION automation.resolve_field(p_context jsonb, p_field text)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN p_field IS NULL OR p_field = '' THEN NULL
        WHEN left(p_field, 1) = '$' THEN
            CASE split_part(p_field, '.', 1)
                WHEN '$input' THEN p_context #> ('{input}'::text[] || (string_to_array(p_field, '.'))[2:])
                WHEN '$steps' THEN p_context #> ('{steps}'::text[] || (string_to_array(p_field, '.'))[2:])
                WHEN '$variables' THEN p_context #> ('{variables}'::text[] || (string_to_array(p_field, '.'))[2:])
            END
        ELSE (p_context -> 'variables') #> string_to_array(p_field, '.')
    END;
$$;

COMMENT ON FUNCTION automation.resolve_field(jsonb, text) IS
    'Value of a dot path in a run context {"input", "steps", "variables"}: a plain path is a variable (any name, input and steps included); $input.*, $steps.<node>.* and $variables.* address the engine''s own data. NULL when absent or an unknown $ root.';

REVOKE ALL ON FUNCTION automation.resolve_field(jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.resolve_field(jsonb, text) TO pgwf_app, pgwf_worker;
