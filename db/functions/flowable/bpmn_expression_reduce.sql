-- One reduction step of the condition parser for computed values: arithmetic (+ - * / %,
-- unary -), the ternary a ? b : c, and comparisons where a side is computed. Literals fold at
-- compile time; anything else becomes a value expression (docs/graph-model.md, "Value
-- expressions") that automation.evaluate_expression reads at run time. Called only by
-- flowable.compile_condition_expression; operands as in flowable.bpmn_condition_reduce.
CREATE OR REPLACE FUNCTION flowable.bpmn_expression_reduce(
    p_op text,
    p_operands jsonb,
    p_position integer,
    p_expression text,
    p_element_id text
) RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_a jsonb := p_operands -> 0;
    v_b jsonb := p_operands -> 1;
    v_c jsonb := p_operands -> 2;
    v_x numeric;
    v_y numeric;
    v_test jsonb;
    v_value jsonb;
    v_op text := p_op;
    -- an operand as a value expression
    v_left jsonb;
    v_right jsonb;
BEGIN
    IF p_op IN ('+', '-', '*', '/', '%', 'neg') THEN
        -- arithmetic takes numbers: number literals, variables and computed values
        IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_operands) AS o(v)
                    WHERE o.v ->> 'k' = 'cond' OR (o.v ->> 'k' = 'lit' AND jsonb_typeof(o.v -> 'v') <> 'number')
                       OR (o.v ->> 'k' = 'val' AND o.v -> 'v' ? 'cond')) THEN
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                format('"%s" at position %s applies to numbers, not to %s', CASE p_op WHEN 'neg' THEN '-' ELSE p_op END, p_position,
                       (SELECT CASE WHEN o.v ->> 'k' = 'lit' THEN (o.v -> 'v')::text ELSE 'a condition' END
                          FROM jsonb_array_elements(p_operands) AS o(v)
                         WHERE o.v ->> 'k' = 'cond' OR (o.v ->> 'k' = 'lit' AND jsonb_typeof(o.v -> 'v') <> 'number')
                            OR (o.v ->> 'k' = 'val' AND o.v -> 'v' ? 'cond') LIMIT 1)));
        END IF;
        IF p_op = 'neg' AND v_a ->> 'k' = 'lit' THEN
            RETURN jsonb_build_object('k', 'lit', 'v', -((v_a ->> 'v')::numeric), 'p', v_a -> 'p');
        ELSIF p_op = 'neg' THEN
            RETURN jsonb_build_object('k', 'val', 'p', p_position, 'v',
                jsonb_build_object('op', 'neg', 'args', jsonb_build_array(flowable.bpmn_expression_value(v_a))));
        END IF;
        IF p_op IN ('/', '%') AND v_b ->> 'k' = 'lit' AND (v_b ->> 'v')::numeric = 0 THEN
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                format('"%s" at position %s divides by zero', p_op, p_position));
        END IF;
        IF v_a ->> 'k' = 'lit' AND v_b ->> 'k' = 'lit' THEN
            -- two numbers: computed now
            v_x := (v_a ->> 'v')::numeric;
            v_y := (v_b ->> 'v')::numeric;
            RETURN jsonb_build_object('k', 'lit', 'p', v_a -> 'p', 'v', CASE p_op
                WHEN '+' THEN v_x + v_y WHEN '-' THEN v_x - v_y WHEN '*' THEN v_x * v_y
                WHEN '/' THEN v_x / v_y ELSE mod(v_x, v_y) END);
        END IF;
        RETURN jsonb_build_object('k', 'val', 'p', v_a -> 'p', 'v',
            jsonb_build_object('op', p_op, 'args', jsonb_build_array(flowable.bpmn_expression_value(v_a),
                                                                   flowable.bpmn_expression_value(v_b))));
    END IF;

    IF p_op = '?:' THEN
        -- the test is a condition (as && of one operand makes it); a constant test picks a branch
        v_test := flowable.bpmn_condition_reduce('&&', jsonb_build_array(v_a), p_position, p_expression, p_element_id) -> 'v';
        IF v_test = '{"all": []}'::jsonb THEN
            RETURN v_b;
        ELSIF v_test = '{"any": []}'::jsonb THEN
            RETURN v_c;
        ELSIF v_b ->> 'k' = 'cond' AND v_c ->> 'k' = 'cond' THEN
            -- both branches are conditions: (t && b) || (!t && c)
            RETURN jsonb_build_object('k', 'cond', 'v', jsonb_build_object('any', jsonb_build_array(
                jsonb_build_object('all', jsonb_build_array(v_test, v_b -> 'v')),
                jsonb_build_object('all', jsonb_build_array(jsonb_build_object('not', v_test), v_c -> 'v')))));
        END IF;
        RETURN jsonb_build_object('k', 'val', 'p', v_a -> 'p', 'v',
            jsonb_build_object('if', v_test, 'then', flowable.bpmn_expression_value(v_b),
                               'else', flowable.bpmn_expression_value(v_c)));
    END IF;

    -- a comparison where a side is computed: the computed or variable side first ("expr" or
    -- "field"), the other as "value", "valueField" or "valueExpr"
    IF v_a ->> 'k' = 'cond' OR v_b ->> 'k' = 'cond' THEN
        PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
            format('"%s" at position %s must compare values (variables, literals, arithmetic), not conditions', p_op, p_position));
    END IF;
    IF v_a ->> 'k' = 'lit' THEN
        v_value := v_a;
        v_a := v_b;
        v_b := v_value;
        v_op := CASE p_op WHEN '<' THEN '>' WHEN '<=' THEN '>=' WHEN '>' THEN '<' WHEN '>=' THEN '<=' ELSE p_op END;
    END IF;
    IF v_b ->> 'k' = 'lit' AND (v_b -> 'v' = 'null'::jsonb
                                OR (v_op IN ('<', '<=', '>', '>=') AND jsonb_typeof(v_b -> 'v') = 'boolean')) THEN
        PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
            format('"%s" at position %s cannot compare a computed value with %s', p_op, p_position, v_b -> 'v'));
    END IF;
    v_left := CASE WHEN v_a ->> 'k' = 'path' THEN jsonb_build_object('field', v_a -> 'v')
                   ELSE jsonb_build_object('expr', v_a -> 'v') END;
    v_right := CASE v_b ->> 'k' WHEN 'lit' THEN jsonb_build_object('value', v_b -> 'v')
                                WHEN 'path' THEN jsonb_build_object('valueField', v_b -> 'v')
                                ELSE jsonb_build_object('valueExpr', v_b -> 'v') END;
    RETURN jsonb_build_object('k', 'cond', 'v', v_left || v_right || jsonb_build_object('operator',
        CASE v_op WHEN '==' THEN 'equals' WHEN '!=' THEN 'not_equals' WHEN '<' THEN 'less_than'
                  WHEN '<=' THEN 'less_than_or_equal' WHEN '>' THEN 'greater_than' ELSE 'greater_than_or_equal' END));
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_expression_reduce(text, jsonb, integer, text, text) IS
    'Applies arithmetic (+ - * / %, unary -), ?: or a comparison of computed values to the condition parser''s operands: literals fold at compile time, the rest becomes a value expression; PW422 with the position for arithmetic on strings, booleans or conditions and for a division by the literal zero.';

REVOKE ALL ON FUNCTION flowable.bpmn_expression_reduce(text, jsonb, integer, text, text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_expression_reduce(text, jsonb, integer, text, text) TO pgwf_app;
