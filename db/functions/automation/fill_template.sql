-- Fills {{path}} placeholders in a node's input (strings, nested in objects and arrays) from the
-- run context. A string that is exactly one placeholder takes the value with its JSON type.
-- Used by the engine for action/integration input and notification fields. Never runs code.
CREATE OR REPLACE FUNCTION automation.fill_template(p_value jsonb, p_context jsonb)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_text text;
    v_match text[];
    v_found jsonb;
BEGIN
    CASE jsonb_typeof(p_value)
    WHEN 'object' THEN
        RETURN COALESCE((SELECT jsonb_object_agg(key, automation.fill_template(value, p_context))
                         FROM jsonb_each(p_value)), '{}'::jsonb);
    WHEN 'array' THEN
        RETURN COALESCE((SELECT jsonb_agg(automation.fill_template(value, p_context) ORDER BY ord)
                         FROM jsonb_array_elements(p_value) WITH ORDINALITY AS a(value, ord)), '[]'::jsonb);
    WHEN 'string' THEN
        v_text := p_value #>> '{}';
        IF strpos(v_text, '{{') = 0 THEN
            RETURN p_value;
        END IF;
        v_match := regexp_match(v_text, '^\{\{\s*(\$?[A-Za-z0-9_.-]+)\s*\}\}$');
        IF v_match IS NOT NULL THEN
            RETURN COALESCE(automation.resolve_field(p_context, v_match[1]), 'null'::jsonb);
        END IF;
        -- a loop: each placeholder in a longer string is replaced by its text
        FOR v_match IN SELECT m FROM regexp_matches(v_text, '(\{\{\s*(\$?[A-Za-z0-9_.-]+)\s*\}\})', 'g') AS m LOOP
            v_found := automation.resolve_field(p_context, v_match[2]);
            v_text := replace(v_text, v_match[1],
                              COALESCE(CASE jsonb_typeof(v_found) WHEN 'string' THEN v_found #>> '{}'
                                                                   ELSE v_found::text END, ''));
        END LOOP;
        RETURN to_jsonb(v_text);
    ELSE
        RETURN p_value;
    END CASE;
END;
$$;

COMMENT ON FUNCTION automation.fill_template(jsonb, jsonb) IS
    'Replaces {{path}} placeholders in strings (recursively through objects and arrays) with values from the run context (automation.resolve_field); "{{path}}" alone keeps the value''s JSON type.';

REVOKE ALL ON FUNCTION automation.fill_template(jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.fill_template(jsonb, jsonb) TO pgwf_app;
