-- Compiles a BPMN conditionExpression (${amount > 100 && region == 'EU'}) into
-- pgwf's condition JSON (docs/graph-model.md). Called by the BPMN compiler at
-- deploy time; nothing is ever evaluated, the text is only parsed.
CREATE OR REPLACE FUNCTION flowable.compile_condition_expression(
    p_expression text,
    p_element_id text DEFAULT NULL
) RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_tokens jsonb := flowable.bpmn_condition_tokens(p_expression, p_element_id);
    v_token jsonb;
    v_operands jsonb := '[]'::jsonb;
    v_ops text[] := ARRAY[]::text[];
    v_top text;
    v_expect_operand boolean := true;
    v_prec integer;
    v_result jsonb;
BEGIN
    -- Operator precedence parsing with two explicit stacks (the iterative form
    -- of recursive descent): ! binds tightest, then comparisons, &&, ||.
    FOR v_token IN SELECT t.value FROM jsonb_array_elements(v_tokens) WITH ORDINALITY AS t(value, n) ORDER BY t.n LOOP
        IF v_expect_operand THEN
            CASE v_token ->> 't'
                WHEN 'path', 'lit', 'cond' THEN
                    v_operands := v_operands || jsonb_build_object(
                        'k', v_token ->> 't', 'v', v_token -> 'v');
                    v_expect_operand := false;
                WHEN 'not' THEN
                    v_ops := v_ops || '!'::text;
                WHEN 'empty' THEN
                    v_ops := v_ops || 'empty'::text;
                WHEN 'lp' THEN
                    v_ops := v_ops || '('::text;
                ELSE
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('expected a variable, a literal, ! or ( at position %s but found "%s"',
                               v_token ->> 'p', v_token ->> 'v'));
            END CASE;
        ELSE
            CASE v_token ->> 't'
                WHEN 'cmp', 'and', 'or' THEN
                    v_prec := CASE v_token ->> 't' WHEN 'cmp' THEN 3 WHEN 'and' THEN 2 ELSE 1 END;
                    -- reduce what binds at least as tightly (comparisons do not chain)
                    LOOP
                        v_top := v_ops[cardinality(v_ops)];
                        EXIT WHEN v_top IS NULL OR v_top = '(';
                        IF v_top IN ('==', '!=', '<', '<=', '>', '>=') AND v_prec = 3 THEN
                            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                                format('comparisons cannot be chained ("%s" at position %s)',
                                       v_token ->> 'v', v_token ->> 'p'));
                        END IF;
                        EXIT WHEN (CASE WHEN v_top IN ('!', 'empty') THEN 4 WHEN v_top = '&&' THEN 2
                                        WHEN v_top = '||' THEN 1 ELSE 3 END) < v_prec;
                        v_operands := flowable.bpmn_condition_reduce(v_operands, v_top, p_expression, p_element_id);
                        v_ops := v_ops[1:cardinality(v_ops) - 1];
                    END LOOP;
                    v_ops := v_ops || (v_token ->> 'v');
                    v_expect_operand := true;
                WHEN 'rp' THEN
                    LOOP
                        v_top := v_ops[cardinality(v_ops)];
                        IF v_top IS NULL THEN
                            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                                format('the ")" at position %s has no matching "("', v_token ->> 'p'));
                        END IF;
                        v_ops := v_ops[1:cardinality(v_ops) - 1];
                        EXIT WHEN v_top = '(';
                        v_operands := flowable.bpmn_condition_reduce(v_operands, v_top, p_expression, p_element_id);
                    END LOOP;
                ELSE
                    PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                        format('expected an operator or ")" at position %s but found "%s"',
                               v_token ->> 'p', v_token ->> 'v'));
            END CASE;
        END IF;
    END LOOP;

    IF v_expect_operand THEN
        PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
            'the expression ends where a variable or literal is expected');
    END IF;
    WHILE cardinality(v_ops) > 0 LOOP
        v_top := v_ops[cardinality(v_ops)];
        IF v_top = '(' THEN
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression, 'a "(" is not closed');
        END IF;
        v_operands := flowable.bpmn_condition_reduce(v_operands, v_top, p_expression, p_element_id);
        v_ops := v_ops[1:cardinality(v_ops) - 1];
    END LOOP;

    -- A whole expression that is a bare path or a literal: reduce it as "!!x".
    v_result := v_operands -> 0;
    IF v_result ->> 'k' <> 'cond' THEN
        v_result := flowable.bpmn_condition_reduce(
            flowable.bpmn_condition_reduce(jsonb_build_array(v_result), '!', p_expression, p_element_id),
            '!', p_expression, p_element_id) -> 0;
    END IF;
    RETURN v_result -> 'v';
END;
$$;

COMMENT ON FUNCTION flowable.compile_condition_expression(text, text) IS
    'Compiles a ${...}/#{...} BPMN condition (comparisons of a dotted variable with a string, number, boolean or null literal; &&, ||, !, parentheses; EL word forms eq/ne/lt/le/gt/ge/and/or/not) into pgwf condition JSON. {"all": []} is always true and {"any": []} always false. Refuses anything else with PW422 naming p_element_id.';

REVOKE ALL ON FUNCTION flowable.compile_condition_expression(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.compile_condition_expression(text, text) TO pgwf_app;
