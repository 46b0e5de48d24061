-- An operand of the condition parser as a value expression (docs/graph-model.md, "Value
-- expressions"): a variable is {"path"}, a literal {"lit"}, a condition {"cond"} (true or
-- false), a computed value itself. Called by flowable.bpmn_expression_reduce.
CREATE OR REPLACE FUNCTION flowable.bpmn_expression_value(p_operand jsonb)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE p_operand ->> 'k'
        WHEN 'path' THEN jsonb_build_object('path', p_operand -> 'v')
        WHEN 'lit' THEN jsonb_build_object('lit', p_operand -> 'v')
        WHEN 'cond' THEN jsonb_build_object('cond', p_operand -> 'v')
        ELSE p_operand -> 'v'
    END;
$$;

COMMENT ON FUNCTION flowable.bpmn_expression_value(jsonb) IS
    'The value expression an operand of the condition parser stands for: {"path"}, {"lit"}, {"cond"} or the computed value itself.';

REVOKE ALL ON FUNCTION flowable.bpmn_expression_value(jsonb) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_expression_value(jsonb) TO pgwf_app;
