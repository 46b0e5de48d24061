-- Why a routing condition is malformed (NULL when it is well formed). Used by the model
-- validation (validate_workflow_graph) so that evaluate_condition never meets a bad one.
CREATE OR REPLACE FUNCTION automation.condition_problem(p_condition jsonb)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_item jsonb;
    v_problem text;
    v_op text;
BEGIN
    IF p_condition IS NULL OR jsonb_typeof(p_condition) <> 'object' THEN
        RETURN 'a condition must be an object';
    END IF;
    IF p_condition ? 'all' OR p_condition ? 'any' THEN
        v_item := COALESCE(p_condition -> 'all', p_condition -> 'any');
        IF jsonb_typeof(v_item) <> 'array' THEN
            RETURN '"all"/"any" must hold an array of conditions';
        END IF;
        -- a loop: each member is checked recursively and the first problem reported
        FOR v_item IN SELECT value FROM jsonb_array_elements(v_item) LOOP
            v_problem := automation.condition_problem(v_item);
            IF v_problem IS NOT NULL THEN
                RETURN v_problem;
            END IF;
        END LOOP;
        RETURN NULL;
    END IF;
    IF p_condition ? 'not' THEN
        RETURN automation.condition_problem(p_condition -> 'not');
    END IF;
    IF p_condition ? 'expr' THEN
        -- a computed left side (docs/graph-model.md, "Value expressions") instead of a field
        v_problem := automation.expression_problem(p_condition -> 'expr');
        IF v_problem IS NOT NULL OR p_condition ? 'field' THEN
            RETURN coalesce(v_problem, 'a condition has either a "field" or an "expr", not both');
        END IF;
        p_condition := p_condition || '{"field": "(expression)"}';
    END IF;
    IF jsonb_typeof(p_condition -> 'field') IS DISTINCT FROM 'string' OR p_condition ->> 'field' = '' THEN
        RETURN 'a condition needs a "field" (a dot path)';
    END IF;
    IF p_condition ? 'valueExpr' THEN
        v_problem := automation.expression_problem(p_condition -> 'valueExpr');
        IF v_problem IS NOT NULL OR p_condition ? 'value' OR p_condition ? 'valueField' THEN
            RETURN coalesce(v_problem, format('the condition on field %s has a "valueExpr" and also a "value" or "valueField"',
                                              p_condition ->> 'field'));
        END IF;
        p_condition := p_condition - 'valueExpr' || '{"valueField": "(expression)"}';
    END IF;
    v_op := p_condition ->> 'operator';
    IF v_op IS NULL OR v_op NOT IN ('equals', 'not_equals', 'greater_than', 'greater_than_or_equal',
            'less_than', 'less_than_or_equal', 'contains', 'in', 'exists', 'empty',
            'starts_with', 'ends_with', 'equals_ignore_case') THEN
        RETURN format('unknown operator %s in the condition on field %s',
                      COALESCE(quote_literal(v_op), 'NULL'), p_condition ->> 'field');
    END IF;
    IF p_condition ? 'valueField' AND (jsonb_typeof(p_condition -> 'valueField') IS DISTINCT FROM 'string'
                                       OR p_condition ->> 'valueField' = '' OR p_condition ? 'value') THEN
        RETURN format('the condition on field %s has a malformed "valueField" (a dot path, instead of "value")', p_condition ->> 'field');
    END IF;
    IF v_op NOT IN ('exists', 'empty') AND NOT p_condition ? 'value' AND NOT p_condition ? 'valueField' THEN
        RETURN format('the %s condition on field %s has no "value"', v_op, p_condition ->> 'field');
    END IF;
    IF v_op = 'in' AND jsonb_typeof(p_condition -> 'value') <> 'array' THEN
        RETURN format('the "in" condition on field %s needs an array value', p_condition ->> 'field');
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.condition_problem(jsonb) IS
    'NULL for a well-formed condition ({field or expr, operator, value, valueField or valueExpr} leaf, or {"all"|"any": [...]}, {"not": c}); else a sentence saying what is wrong.';

REVOKE ALL ON FUNCTION automation.condition_problem(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.condition_problem(jsonb) TO pgwf_app;
