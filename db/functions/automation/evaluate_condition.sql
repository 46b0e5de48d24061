-- Evaluates a routing condition (data, never code) against a run context. Called by the
-- engine for condition nodes, conditional edges and gateways. A missing field, or comparing
-- a number with a string, is false; it never raises.
CREATE OR REPLACE FUNCTION automation.evaluate_condition(p_condition jsonb, p_context jsonb)
RETURNS boolean
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_item jsonb;
    v_left jsonb;
    v_right jsonb;
    v_op text;
BEGIN
    IF p_condition IS NULL OR jsonb_typeof(p_condition) <> 'object' THEN
        RETURN false;
    END IF;
    IF p_condition ? 'all' THEN
        -- a loop to stop at the first false member
        FOR v_item IN SELECT value FROM jsonb_array_elements(p_condition -> 'all') LOOP
            IF NOT automation.evaluate_condition(v_item, p_context) THEN
                RETURN false;
            END IF;
        END LOOP;
        RETURN true;
    ELSIF p_condition ? 'any' THEN
        FOR v_item IN SELECT value FROM jsonb_array_elements(p_condition -> 'any') LOOP
            IF automation.evaluate_condition(v_item, p_context) THEN
                RETURN true;
            END IF;
        END LOOP;
        RETURN false;
    ELSIF p_condition ? 'not' THEN
        RETURN NOT automation.evaluate_condition(p_condition -> 'not', p_context);
    END IF;

    v_op := p_condition ->> 'operator';
    -- the field, or (expr) a value computed from the data (docs/graph-model.md, "Value expressions")
    v_left := CASE WHEN p_condition ? 'expr' THEN automation.evaluate_expression(p_condition -> 'expr', p_context)
                   ELSE automation.resolve_field(p_context, p_condition ->> 'field') END;
    -- the value, or (valueField) another path of the data, or (valueExpr) a computed value, read now
    v_right := CASE WHEN p_condition ? 'valueField' THEN automation.resolve_field(p_context, p_condition ->> 'valueField')
                    WHEN p_condition ? 'valueExpr' THEN automation.evaluate_expression(p_condition -> 'valueExpr', p_context)
                    ELSE p_condition -> 'value' END;
    IF (p_condition ? 'valueField' OR p_condition ? 'valueExpr') AND (v_right IS NULL OR v_right = 'null'::jsonb) THEN
        RETURN false;
    END IF;
    IF v_op = 'exists' THEN
        RETURN v_left IS NOT NULL;
    ELSIF v_op = 'empty' THEN
        -- EL's empty: missing, null, an empty string, list or object
        RETURN v_left IS NULL OR v_left IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb);
    END IF;
    IF v_left IS NULL OR v_left = 'null'::jsonb THEN
        RETURN false;
    END IF;
    RETURN CASE v_op
        WHEN 'equals' THEN
            CASE WHEN jsonb_typeof(v_left) = 'number' AND jsonb_typeof(v_right) = 'number'
                 THEN (v_left #>> '{}')::numeric = (v_right #>> '{}')::numeric
                 ELSE v_left = v_right END
        WHEN 'not_equals' THEN
            CASE WHEN jsonb_typeof(v_left) = 'number' AND jsonb_typeof(v_right) = 'number'
                 THEN (v_left #>> '{}')::numeric <> (v_right #>> '{}')::numeric
                 ELSE v_left <> v_right END
        WHEN 'contains' THEN
            CASE WHEN jsonb_typeof(v_left) = 'array' THEN v_left @> jsonb_build_array(v_right)
                 WHEN jsonb_typeof(v_left) = 'string' AND jsonb_typeof(v_right) = 'string'
                 THEN strpos(v_left #>> '{}', v_right #>> '{}') > 0
                 ELSE false END
        WHEN 'in' THEN
            jsonb_typeof(v_right) = 'array' AND v_right @> jsonb_build_array(v_left)
        WHEN 'starts_with' THEN
            jsonb_typeof(v_left) = 'string' AND jsonb_typeof(v_right) = 'string'
            AND left(v_left #>> '{}', length(v_right #>> '{}')) = (v_right #>> '{}')
        WHEN 'ends_with' THEN
            jsonb_typeof(v_left) = 'string' AND jsonb_typeof(v_right) = 'string'
            AND right(v_left #>> '{}', length(v_right #>> '{}')) = (v_right #>> '{}')
        WHEN 'equals_ignore_case' THEN
            jsonb_typeof(v_left) = 'string' AND jsonb_typeof(v_right) = 'string'
            AND lower(v_left #>> '{}') = lower(v_right #>> '{}')
        ELSE
            -- ordering: numbers with numbers, strings with strings; anything else is false
            CASE WHEN jsonb_typeof(v_left) = 'number' AND jsonb_typeof(v_right) = 'number' THEN
                     CASE v_op
                         WHEN 'greater_than' THEN (v_left #>> '{}')::numeric > (v_right #>> '{}')::numeric
                         WHEN 'greater_than_or_equal' THEN (v_left #>> '{}')::numeric >= (v_right #>> '{}')::numeric
                         WHEN 'less_than' THEN (v_left #>> '{}')::numeric < (v_right #>> '{}')::numeric
                         WHEN 'less_than_or_equal' THEN (v_left #>> '{}')::numeric <= (v_right #>> '{}')::numeric
                         ELSE false END
                 WHEN jsonb_typeof(v_left) = 'string' AND jsonb_typeof(v_right) = 'string' THEN
                     CASE v_op
                         WHEN 'greater_than' THEN (v_left #>> '{}') > (v_right #>> '{}')
                         WHEN 'greater_than_or_equal' THEN (v_left #>> '{}') >= (v_right #>> '{}')
                         WHEN 'less_than' THEN (v_left #>> '{}') < (v_right #>> '{}')
                         WHEN 'less_than_or_equal' THEN (v_left #>> '{}') <= (v_right #>> '{}')
                         ELSE false END
                 ELSE false END
    END;
END;
$$;

COMMENT ON FUNCTION automation.evaluate_condition(jsonb, jsonb) IS
    'true when the condition holds for the run context. A leaf compares a field (or "expr", a computed value) with a value, valueField or valueExpr; operators equals, not_equals, greater_than(_or_equal), less_than(_or_equal), contains, in, exists, empty, starts_with, ends_with, equals_ignore_case; all/any/not combine. Missing fields and number-vs-string comparisons are false.';

REVOKE ALL ON FUNCTION automation.evaluate_condition(jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.evaluate_condition(jsonb, jsonb) TO pgwf_app;
