-- Raises the PW422 refusal for a condition expression outside pgwf's grammar.
-- Called by the condition tokenizer and parser so every refusal reads the same.
CREATE OR REPLACE FUNCTION flowable.bpmn_condition_error(
    p_element_id text,
    p_expression text,
    p_reason text
) RETURNS void
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
BEGIN
    RAISE EXCEPTION USING
        ERRCODE = 'PW422',
        MESSAGE = format('condition %sis outside the grammar: %s',
                         CASE WHEN p_element_id IS NULL THEN ''
                              ELSE format('of element "%s" ', p_element_id) END,
                         p_reason),
        DETAIL = format('expression: %s', p_expression),
        HINT = 'write ${variable op literal} with ==, !=, <, <=, >, >= (or eq, ne, lt, le, gt, ge), '
            || 'combined with &&, ||, ! (or and, or, not), a ? b : c and parentheses; values may use '
            || '+, -, *, /, % and the methods of docs/bpmn.md; literals are '
            || '''strings'', "strings", numbers, true, false and null; variables are dotted paths';
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_condition_error(text, text, text) IS
    'Raises PW422 naming the element whose condition expression is outside the grammar, with the reason and the grammar as hint.';

REVOKE ALL ON FUNCTION flowable.bpmn_condition_error(text, text, text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_condition_error(text, text, text) TO pgwf_app;
