-- Why a value expression (docs/graph-model.md, "Value expressions") is malformed, NULL when it
-- is well formed. Used by automation.condition_problem for a condition's "expr" and
-- "valueExpr", so that evaluate_expression never meets a bad one.
CREATE OR REPLACE FUNCTION automation.expression_problem(p_expr jsonb)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_arity integer;
BEGIN
    IF jsonb_typeof(p_expr) IS DISTINCT FROM 'object' THEN
        RETURN 'a value expression must be an object';
    ELSIF p_expr ? 'lit' THEN
        RETURN NULL;
    ELSIF p_expr ? 'path' THEN
        RETURN CASE WHEN jsonb_typeof(p_expr -> 'path') <> 'string' OR p_expr ->> 'path' = ''
                    THEN 'a value expression''s "path" must be a dot path' END;
    ELSIF p_expr ? 'cond' THEN
        RETURN automation.condition_problem(p_expr -> 'cond');
    ELSIF p_expr ? 'if' THEN
        RETURN coalesce(automation.condition_problem(p_expr -> 'if'),
                        automation.expression_problem(p_expr -> 'then'),
                        automation.expression_problem(p_expr -> 'else'));
    END IF;
    v_arity := CASE p_expr ->> 'op' WHEN '+' THEN 2 WHEN '-' THEN 2 WHEN '*' THEN 2 WHEN '/' THEN 2 WHEN '%' THEN 2
                                    WHEN 'neg' THEN 1 WHEN 'size' THEN 1 WHEN 'upper' THEN 1 WHEN 'lower' THEN 1 END;
    IF v_arity IS NULL THEN
        RETURN format('unknown value expression %s (lit, path, cond, if, or op +, -, *, /, %%, neg, size, upper, lower)', p_expr);
    ELSIF jsonb_typeof(p_expr -> 'args') IS DISTINCT FROM 'array' OR jsonb_array_length(p_expr -> 'args') <> v_arity THEN
        RETURN format('the value expression "%s" takes %s argument(s) in "args"', p_expr ->> 'op', v_arity);
    END IF;
    RETURN coalesce(automation.expression_problem(p_expr #> '{args,0}'),
                    CASE WHEN v_arity = 2 THEN automation.expression_problem(p_expr #> '{args,1}') END);
END;
$$;

COMMENT ON FUNCTION automation.expression_problem(jsonb) IS
    'NULL for a well-formed value expression ({"lit"}, {"path"}, {"cond"}, {"if", "then", "else"}, {"op", "args"}); else a sentence saying what is wrong.';

REVOKE ALL ON FUNCTION automation.expression_problem(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.expression_problem(jsonb) TO pgwf_app;
