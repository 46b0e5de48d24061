-- Computes a value expression (data, never code; docs/graph-model.md, "Value expressions")
-- against a run context: what BPMN arithmetic, ?: and the size/length/toUpperCase/toLowerCase
-- methods compile to. Called by automation.evaluate_condition for "expr" and "valueExpr". Like
-- conditions it never raises: arithmetic on anything but numbers, or a division by zero, is
-- NULL (and a comparison with NULL is false).
CREATE OR REPLACE FUNCTION automation.evaluate_expression(p_expr jsonb, p_context jsonb)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_a jsonb;
    v_b jsonb;
    v_op text := p_expr ->> 'op';
BEGIN
    IF jsonb_typeof(p_expr) IS DISTINCT FROM 'object' THEN
        RETURN NULL;
    ELSIF p_expr ? 'lit' THEN
        RETURN p_expr -> 'lit';
    ELSIF p_expr ? 'path' THEN
        RETURN automation.resolve_field(p_context, p_expr ->> 'path');
    ELSIF p_expr ? 'cond' THEN
        RETURN to_jsonb(automation.evaluate_condition(p_expr -> 'cond', p_context));
    ELSIF p_expr ? 'if' THEN
        RETURN automation.evaluate_expression(
            CASE WHEN automation.evaluate_condition(p_expr -> 'if', p_context) THEN p_expr -> 'then' ELSE p_expr -> 'else' END,
            p_context);
    END IF;
    v_a := automation.evaluate_expression(p_expr #> '{args,0}', p_context);
    IF v_op = 'size' THEN
        RETURN CASE jsonb_typeof(v_a) WHEN 'array' THEN to_jsonb(jsonb_array_length(v_a))
                                      WHEN 'string' THEN to_jsonb(length(v_a #>> '{}'))
                                      WHEN 'object' THEN to_jsonb((SELECT count(*) FROM jsonb_object_keys(v_a)))
                   END;
    ELSIF v_op IN ('upper', 'lower') THEN
        RETURN CASE WHEN jsonb_typeof(v_a) = 'string'
                    THEN to_jsonb(CASE v_op WHEN 'upper' THEN upper(v_a #>> '{}') ELSE lower(v_a #>> '{}') END) END;
    END IF;
    IF jsonb_typeof(v_a) IS DISTINCT FROM 'number' THEN
        RETURN NULL;
    ELSIF v_op = 'neg' THEN
        RETURN to_jsonb(-((v_a #>> '{}')::numeric));
    END IF;
    v_b := automation.evaluate_expression(p_expr #> '{args,1}', p_context);
    IF jsonb_typeof(v_b) IS DISTINCT FROM 'number' OR (v_op IN ('/', '%') AND (v_b #>> '{}')::numeric = 0) THEN
        RETURN NULL;
    END IF;
    RETURN to_jsonb(CASE v_op
        WHEN '+' THEN (v_a #>> '{}')::numeric + (v_b #>> '{}')::numeric
        WHEN '-' THEN (v_a #>> '{}')::numeric - (v_b #>> '{}')::numeric
        WHEN '*' THEN (v_a #>> '{}')::numeric * (v_b #>> '{}')::numeric
        WHEN '/' THEN (v_a #>> '{}')::numeric / (v_b #>> '{}')::numeric
        WHEN '%' THEN mod((v_a #>> '{}')::numeric, (v_b #>> '{}')::numeric)
    END);
END;
$$;

COMMENT ON FUNCTION automation.evaluate_expression(jsonb, jsonb) IS
    'Value of a value expression ({"lit"}, {"path"}, {"cond"}, {"if", "then", "else"}, {"op": + - * / % neg size upper lower, "args"}) in a run context; NULL for arithmetic on non-numbers or a division by zero, never an error.';

REVOKE ALL ON FUNCTION automation.evaluate_expression(jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.evaluate_expression(jsonb, jsonb) TO pgwf_app;
