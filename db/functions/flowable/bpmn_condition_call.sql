-- The condition a method call or a Flowable variable function in a BPMN condition stands for
-- (docs/bpmn.md, "Condition grammar"): on a variable, equals, equalsIgnoreCase, contains,
-- startsWith, endsWith (one literal) and isEmpty(); Flowable's var:/variables: eq, notEquals,
-- lowerThan, lowerThanOrEquals, greaterThan, greaterThanOrEquals, contains (a variable and a
-- literal), exists, isEmpty/empty, isNotEmpty/notEmpty (a variable). p_args are the call's
-- arguments as the tokenizer read them ({"k": "path"|"lit", "v"}). Anything else is refused
-- naming it. Called by flowable.bpmn_condition_tokens.
CREATE OR REPLACE FUNCTION flowable.bpmn_condition_call(
    p_path text,
    p_name text,
    p_args jsonb,
    p_position integer,
    p_expression text,
    p_element_id text
) RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_n integer := jsonb_array_length(p_args);
    v_field text := p_path;
    v_lit jsonb;
    v_op text;
BEGIN
    IF p_path IS NULL THEN
        -- var:fn(variable[, literal])
        IF v_n = 0 OR p_args #>> '{0,k}' <> 'path' THEN
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                format('%s at position %s takes a variable first', p_name, p_position));
        END IF;
        v_field := p_args #>> '{0,v}';
        p_args := p_args - 0;
        v_n := v_n - 1;
    END IF;
    v_op := CASE lower(regexp_replace(p_name, '^(var|variables):', ''))
        WHEN 'equals' THEN 'equals' WHEN 'eq' THEN 'equals'
        WHEN 'notequals' THEN 'not_equals' WHEN 'ne' THEN 'not_equals'
        WHEN 'equalsignorecase' THEN 'equals_ignore_case'
        WHEN 'contains' THEN 'contains'
        WHEN 'startswith' THEN 'starts_with' WHEN 'endswith' THEN 'ends_with'
        WHEN 'lowerthan' THEN 'less_than' WHEN 'lt' THEN 'less_than'
        WHEN 'lowerthanorequals' THEN 'less_than_or_equal' WHEN 'le' THEN 'less_than_or_equal'
        WHEN 'greaterthan' THEN 'greater_than' WHEN 'gt' THEN 'greater_than'
        WHEN 'greaterthanorequals' THEN 'greater_than_or_equal' WHEN 'ge' THEN 'greater_than_or_equal'
        WHEN 'exists' THEN 'exists'
        WHEN 'isempty' THEN 'empty' WHEN 'empty' THEN 'empty'
        WHEN 'isnotempty' THEN 'not_empty' WHEN 'notempty' THEN 'not_empty'
    END;
    -- methods on a variable are the string methods; the var: functions take the comparisons too
    IF v_op IS NULL
       OR (p_path IS NOT NULL AND lower(p_name) NOT IN ('equals', 'equalsignorecase', 'contains', 'startswith', 'endswith', 'isempty'))
       OR (p_path IS NULL AND v_op IN ('equals_ignore_case', 'starts_with', 'ends_with')) THEN
        PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
            format('the call %s at position %s is not one pgwf reads (methods: equals, equalsIgnoreCase, contains, '
                   || 'startsWith, endsWith, isEmpty; var: eq, notEquals, lowerThan, lowerThanOrEquals, greaterThan, '
                   || 'greaterThanOrEquals, contains, exists, isEmpty, isNotEmpty)', p_name, p_position));
    END IF;
    IF v_op IN ('exists', 'empty', 'not_empty') THEN
        IF v_n <> 0 THEN
            PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
                format('%s at position %s takes no value', p_name, p_position));
        END IF;
        RETURN CASE v_op WHEN 'not_empty' THEN jsonb_build_object('not', jsonb_build_object('field', v_field, 'operator', 'empty'))
                         ELSE jsonb_build_object('field', v_field, 'operator', v_op) END;
    END IF;
    IF v_n <> 1 OR p_args #>> '{0,k}' <> 'lit' OR jsonb_typeof(p_args #> '{0,v}') NOT IN ('string', 'number', 'boolean') THEN
        PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
            format('%s at position %s takes one string, number or boolean literal', p_name, p_position));
    END IF;
    v_lit := p_args #> '{0,v}';
    IF v_op IN ('equals_ignore_case', 'starts_with', 'ends_with') AND jsonb_typeof(v_lit) <> 'string' THEN
        PERFORM flowable.bpmn_condition_error(p_element_id, p_expression,
            format('%s at position %s takes a string', p_name, p_position));
    END IF;
    RETURN jsonb_build_object('field', v_field, 'operator', v_op, 'value', v_lit);
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_condition_call(text, text, jsonb, integer, text, text) IS
    'The condition JSON of a method call on a variable (equals, equalsIgnoreCase, contains, startsWith, endsWith, isEmpty) or a Flowable var:/variables: function (comparisons, contains, exists, isEmpty, isNotEmpty) in a BPMN condition; PW422 for any other call.';

REVOKE ALL ON FUNCTION flowable.bpmn_condition_call(text, text, jsonb, integer, text, text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_condition_call(text, text, jsonb, integer, text, text) TO pgwf_app;
