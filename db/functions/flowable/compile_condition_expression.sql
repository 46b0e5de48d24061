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
    v_count integer := jsonb_array_length(v_tokens);
    v_token jsonb;
    v_t text;
    v_i integer;
    -- the two stacks, as arrays with a top index (each push and pop takes constant time)
    v_opd jsonb[] := ARRAY[]::jsonb[];
    v_nopd integer := 0;
    v_ops text[] := ARRAY[]::text[];
    v_opp integer[] := ARRAY[]::integer[];
    v_nops integer := 0;
    v_top text;
    v_k integer;
    v_args jsonb;
    v_expect_operand boolean := true;
    v_prec integer;
    v_depth integer;
BEGIN
    -- Operator precedence parsing with two explicit stacks (the iterative form of recursive
    -- descent), binding loosest to tightest: ?: (right to left), ||, &&, comparisons (which do
    -- not chain), + and -, *, / and %, then the prefix operators !, empty and unary -.
    -- A run of && (or ||) is reduced at once into one "all" (or "any"), so that every token
    -- is pushed and popped a bounded number of times: the cost is linear in the length.
    FOR v_i IN 0 .. v_count LOOP
        v_token := CASE WHEN v_i < v_count THEN v_tokens -> v_i
                        ELSE jsonb_build_object('t', 'end', 'v', 'the end', 'p', NULL) END;
        v_t := v_token ->> 't';
        IF v_expect_operand THEN
            IF v_t IN ('path', 'lit', 'cond', 'val') THEN
                v_nopd := v_nopd + 1;
                v_opd[v_nopd] := jsonb_build_object('k', v_t, 'v', v_token -> 'v', 'p', v_token -> 'p');
                v_expect_operand := false;
            ELSIF v_t IN ('not', 'empty', 'lp') OR (v_t = 'arith' AND v_token ->> 'v' = '-') THEN
                v_nops := v_nops + 1;
                v_ops[v_nops] := CASE v_t WHEN 'not' THEN '!' WHEN 'empty' THEN 'empty' WHEN 'lp' THEN '(' ELSE 'neg' END;
                v_opp[v_nops] := (v_token ->> 'p')::integer;
            ELSIF v_t = 'end' THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    'the expression ends where a variable or literal is expected');
            ELSE
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('expected a variable, a literal, !, - or ( at position %s but found "%s"',
                           v_token ->> 'p', v_token ->> 'v'));
            END IF;
            CONTINUE;
        END IF;

        IF v_t NOT IN ('cmp', 'and', 'or', 'arith', 'q', 'colon', 'rp', 'end') THEN
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                format('expected an operator or ")" at position %s but found "%s"',
                       v_token ->> 'p', v_token ->> 'v'));
        END IF;
        v_prec := CASE v_t WHEN 'q' THEN 1 WHEN 'or' THEN 2 WHEN 'and' THEN 3 WHEN 'cmp' THEN 4
                           WHEN 'arith' THEN CASE WHEN v_token ->> 'v' IN ('+', '-') THEN 5 ELSE 6 END
                           ELSE 0 END;
        -- reduce what binds at least as tightly (everything down to "(" or "?" before ), : and the end)
        LOOP
            v_top := v_ops[v_nops];
            EXIT WHEN v_nops = 0 OR v_top IN ('(', '?');
            IF v_t = 'cmp' AND v_top IN ('==', '!=', '<', '<=', '>', '>=') THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('comparisons cannot be chained ("%s" at position %s)', v_token ->> 'v', v_token ->> 'p'));
            END IF;
            EXIT WHEN v_prec > 0 AND (CASE WHEN v_top IN ('!', 'empty', 'neg') THEN 7 WHEN v_top IN ('*', '/', '%') THEN 6
                                           WHEN v_top IN ('+', '-') THEN 5 WHEN v_top = '&&' THEN 3 WHEN v_top = '||' THEN 2
                                           WHEN v_top = '?:' THEN 1 ELSE 4 END) < v_prec;
            -- ?: groups from the right; a run of && or || waits to be reduced whole
            EXIT WHEN v_t = 'q' AND v_top = '?:';
            EXIT WHEN v_top IN ('&&', '||') AND v_top = v_token ->> 'v';
            v_k := CASE WHEN v_top IN ('!', 'empty', 'neg') THEN 1 WHEN v_top = '?:' THEN 3 ELSE 2 END;
            IF v_top IN ('&&', '||') THEN
                -- the whole run of this operator on the stack: k operators, k + 1 operands
                WHILE v_k <= v_nops AND v_ops[v_nops - v_k + 1] = v_top LOOP
                    v_k := v_k + 1;
                END LOOP;
                v_nops := v_nops - (v_k - 2);
            END IF;
            SELECT jsonb_agg(o ORDER BY n), 1 + max(coalesce((o ->> 'd')::integer, 0))
              INTO v_args, v_depth
              FROM unnest(v_opd[v_nopd - v_k + 1 : v_nopd]) WITH ORDINALITY AS u(o, n);
            -- building nested JSON copies each part once per level above it: the depth is
            -- bounded so that the cost stays linear in the length
            IF v_depth > 32 THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('the operator at position %s nests the expression more than 32 deep', v_opp[v_nops]));
            END IF;
            v_nopd := v_nopd - v_k + 1;
            v_opd[v_nopd] := CASE
                WHEN v_top IN ('+', '-', '*', '/', '%', 'neg', '?:')
                     OR (v_top IN ('==', '!=', '<', '<=', '>', '>=') AND jsonb_path_exists(v_args, '$[*] ? (@.k == "val")'))
                    THEN flowable.bpmn_expression_reduce(v_top, v_args, v_opp[v_nops], p_expression, p_element_id)
                ELSE flowable.bpmn_condition_reduce(v_top, v_args, v_opp[v_nops], p_expression, p_element_id) END;
            v_opd[v_nopd] := v_opd[v_nopd] || jsonb_build_object('d', v_depth);
            v_nops := v_nops - 1;
        END LOOP;

        IF v_t = 'colon' THEN
            IF v_nops = 0 OR v_top <> '?' THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('the ":" at position %s has no "?" before it', v_token ->> 'p'));
            END IF;
            v_ops[v_nops] := '?:';
            v_expect_operand := true;
        ELSIF v_t IN ('rp', 'end') THEN
            IF v_nops > 0 AND v_top = '?' THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('the "?" at position %s has no ":"', v_opp[v_nops]));
            ELSIF v_t = 'rp' AND v_nops = 0 THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('the ")" at position %s has no matching "("', v_token ->> 'p'));
            ELSIF v_t = 'end' AND v_nops > 0 THEN
                PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                    format('the "(" at position %s is not closed', v_opp[v_nops]));
            END IF;
            v_nops := v_nops - CASE WHEN v_t = 'rp' THEN 1 ELSE 0 END;
        ELSE
            v_nops := v_nops + 1;
            v_ops[v_nops] := CASE v_t WHEN 'q' THEN '?' ELSE v_token ->> 'v' END;
            v_opp[v_nops] := (v_token ->> 'p')::integer;
            v_expect_operand := true;
        END IF;
    END LOOP;

    -- The whole expression is a condition: a bare path means it is true, a boolean literal is
    -- a constant, a ternary is compared with true (what "&&" of one operand does).
    IF v_opd[1] ->> 'k' <> 'cond' THEN
        v_opd[1] := flowable.bpmn_condition_reduce('&&', jsonb_build_array(v_opd[1]), NULL, p_expression, p_element_id);
    END IF;
    RETURN v_opd[1] -> 'v';
END;
$$;

COMMENT ON FUNCTION flowable.compile_condition_expression(text, text) IS
    'Compiles a ${...}/#{...} BPMN condition (docs/bpmn.md, "Condition grammar": comparisons, &&, ||, !, ?:, arithmetic, empty, the safe methods and var: functions, EL word forms) into pgwf condition JSON in time linear in its length. {"all": []} is always true and {"any": []} always false. Refuses anything else with PW422 naming p_element_id and the position.';

REVOKE ALL ON FUNCTION flowable.compile_condition_expression(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.compile_condition_expression(text, text) TO pgwf_app;
