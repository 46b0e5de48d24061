-- One reduction step of the condition parser: applies a comparison of variables and
-- literals, empty, !, or a run of && (or ||) to its operands. Called only by
-- flowable.compile_condition_expression (flowable.bpmn_expression_reduce takes arithmetic,
-- ?: and comparisons of computed values). Operands are {"k": "path"|"lit"|"cond"|"val",
-- "v": ..., "p": position}; the result is one operand.
CREATE OR REPLACE FUNCTION flowable.bpmn_condition_reduce(
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
    v_conds jsonb[] := ARRAY[]::jsonb[];
    v_nc integer := 0;
    v_item jsonb;
    v_result jsonb;
    v_path text;
    v_lit jsonb;
    v_op text := p_op;
    v_cmp integer;
    v_true constant jsonb := '{"all": []}';
    v_false constant jsonb := '{"any": []}';
BEGIN
    IF p_op = 'empty' THEN
        -- EL's empty x: x is missing, null, or an empty string, list or object
        IF v_a ->> 'k' = 'path' THEN
            v_result := jsonb_build_object('field', v_a ->> 'v', 'operator', 'empty');
        ELSIF v_a ->> 'k' = 'lit' THEN
            v_result := CASE WHEN v_a -> 'v' IN ('null'::jsonb, '""'::jsonb) THEN v_true ELSE v_false END;
        ELSIF v_a ->> 'k' = 'val' THEN
            v_result := jsonb_build_object('expr', v_a -> 'v', 'operator', 'empty');
        ELSE
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression, '"empty" applies to a variable, not to a condition');
        END IF;
        RETURN jsonb_build_object('k', 'cond', 'v', v_result);
    END IF;

    IF p_op IN ('==', '!=', '<', '<=', '>', '>=') THEN
        IF v_a ->> 'k' = 'path' AND v_b ->> 'k' = 'lit' THEN
            v_path := v_a ->> 'v';
            v_lit := v_b -> 'v';
        ELSIF v_a ->> 'k' = 'lit' AND v_b ->> 'k' = 'path' THEN
            -- literal op path: mirror the operator so the path comes first
            v_path := v_b ->> 'v';
            v_lit := v_a -> 'v';
            v_op := CASE p_op WHEN '<' THEN '>' WHEN '<=' THEN '>=' WHEN '>' THEN '<'
                              WHEN '>=' THEN '<=' ELSE p_op END;
        ELSIF v_a ->> 'k' = 'path' AND v_b ->> 'k' = 'path' THEN
            -- two variables: the right one is read at run time (valueField)
            RETURN jsonb_build_object('k', 'cond', 'v', jsonb_build_object(
                'field', v_a ->> 'v',
                'operator', CASE p_op WHEN '==' THEN 'equals' WHEN '!=' THEN 'not_equals'
                                      WHEN '<' THEN 'less_than' WHEN '<=' THEN 'less_than_or_equal'
                                      WHEN '>' THEN 'greater_than' ELSE 'greater_than_or_equal' END,
                'valueField', v_b ->> 'v'));
        ELSIF v_a ->> 'k' = 'lit' AND v_b ->> 'k' = 'lit' THEN
            -- two literals: decided now, at compile time
            IF p_op IN ('==', '!=') THEN
                v_result := CASE WHEN (v_a -> 'v' = v_b -> 'v') = (p_op = '==') THEN v_true ELSE v_false END;
            ELSIF jsonb_typeof(v_a -> 'v') = jsonb_typeof(v_b -> 'v')
                  AND jsonb_typeof(v_a -> 'v') IN ('number', 'string') THEN
                v_cmp := CASE WHEN jsonb_typeof(v_a -> 'v') = 'number'
                              THEN sign((v_a ->> 'v')::numeric - (v_b ->> 'v')::numeric)::integer
                              WHEN (v_a ->> 'v') < (v_b ->> 'v') THEN -1
                              WHEN (v_a ->> 'v') > (v_b ->> 'v') THEN 1 ELSE 0 END;
                v_result := CASE WHEN (p_op = '<' AND v_cmp < 0) OR (p_op = '<=' AND v_cmp <= 0)
                                   OR (p_op = '>' AND v_cmp > 0) OR (p_op = '>=' AND v_cmp >= 0)
                                 THEN v_true ELSE v_false END;
            ELSE
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('"%s" at position %s compares %s with %s', p_op, p_position, v_a -> 'v', v_b -> 'v'));
            END IF;
            RETURN jsonb_build_object('k', 'cond', 'v', v_result);
        ELSE
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                format('"%s" at position %s must compare values (variables, literals, arithmetic), not conditions', p_op, p_position));
        END IF;

        IF v_lit = 'null'::jsonb THEN
            IF v_op NOT IN ('==', '!=') THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('null can only be compared with == or !=, not "%s"', p_op));
            END IF;
            v_result := jsonb_build_object('field', v_path, 'operator', 'exists');
            IF v_op = '==' THEN
                v_result := jsonb_build_object('not', v_result);
            END IF;
        ELSIF v_op IN ('<', '<=', '>', '>=') AND jsonb_typeof(v_lit) = 'boolean' THEN
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                format('"%s" at position %s cannot order booleans', p_op, p_position));
        ELSE
            v_result := jsonb_build_object(
                'field', v_path,
                'operator', CASE v_op WHEN '==' THEN 'equals' WHEN '!=' THEN 'not_equals'
                                      WHEN '<' THEN 'less_than' WHEN '<=' THEN 'less_than_or_equal'
                                      WHEN '>' THEN 'greater_than' ELSE 'greater_than_or_equal' END,
                'value', v_lit);
        END IF;
        RETURN jsonb_build_object('k', 'cond', 'v', v_result);
    END IF;

    -- Boolean operators: each operand becomes a condition first. A bare path means "is
    -- true"; a boolean literal is a constant; a ?: value is compared with true; other
    -- literals and computed values are refused. The loop runs over the operands of this one
    -- operator (one for !, a whole run for && and ||).
    FOR v_item IN SELECT e.value FROM jsonb_array_elements(p_operands) WITH ORDINALITY AS e(value, n) ORDER BY e.n LOOP
        IF v_item ->> 'k' = 'path' THEN
            v_result := jsonb_build_object('field', v_item ->> 'v', 'operator', 'equals', 'value', true);
        ELSIF v_item ->> 'k' = 'lit' AND jsonb_typeof(v_item -> 'v') = 'boolean' THEN
            v_result := CASE WHEN (v_item -> 'v')::boolean THEN v_true ELSE v_false END;
        ELSIF v_item ->> 'k' = 'lit' THEN
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                format('the literal %s is not a condition', v_item -> 'v'));
        ELSIF v_item ->> 'k' = 'val' AND v_item -> 'v' ? 'if' THEN
            v_result := jsonb_build_object('expr', v_item -> 'v', 'operator', 'equals', 'value', true);
        ELSIF v_item ->> 'k' = 'val' THEN
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                format('the value at position %s is a number or string, not a condition', v_item ->> 'p'));
        ELSE
            v_result := v_item -> 'v';
        END IF;

        IF p_op = '!' THEN
            v_result := CASE WHEN v_result = v_true THEN v_false
                             WHEN v_result = v_false THEN v_true
                             WHEN v_result ? 'not' THEN v_result -> 'not'
                             ELSE jsonb_build_object('not', v_result) END;
            RETURN jsonb_build_object('k', 'cond', 'v', v_result);
        END IF;

        -- constants decide or vanish: false && x is false, true && x is x
        IF (p_op = '&&' AND v_result = v_false) OR (p_op = '||' AND v_result = v_true) THEN
            RETURN jsonb_build_object('k', 'cond', 'v', v_result);
        END IF;
        CONTINUE WHEN v_result IN (v_true, v_false);
        v_nc := v_nc + 1;
        v_conds[v_nc] := v_result;
    END LOOP;

    -- flatten a && (b && c) into one "all" (and a || (b || c) into one "any"), in one statement
    SELECT jsonb_agg(coalesce(f.value, c.value) ORDER BY c.n, f.n)
      INTO v_result
      FROM unnest(v_conds) WITH ORDINALITY AS c(value, n)
      LEFT JOIN LATERAL jsonb_array_elements(c.value -> CASE p_op WHEN '&&' THEN 'all' ELSE 'any' END)
                WITH ORDINALITY AS f(value, n) ON true;
    IF jsonb_array_length(coalesce(v_result, '[]')) = 1 THEN
        RETURN jsonb_build_object('k', 'cond', 'v', v_result -> 0);
    END IF;
    RETURN jsonb_build_object('k', 'cond', 'v',
        jsonb_build_object(CASE p_op WHEN '&&' THEN 'all' ELSE 'any' END, coalesce(v_result, '[]')));
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_condition_reduce(text, jsonb, integer, text, text) IS
    'Applies one operator (comparison of variables and literals, empty, !, a run of && or ||) to its operands and returns the resulting operand; refuses with PW422 what the grammar does not allow.';

REVOKE ALL ON FUNCTION flowable.bpmn_condition_reduce(text, jsonb, integer, text, text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_condition_reduce(text, jsonb, integer, text, text) TO pgwf_app;
