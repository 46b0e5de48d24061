-- The inverse of flowable.compile_condition_expression: writes one condition
-- (docs/graph-model.md) as a ${...} expression of the grammar, or NULL when the
-- grammar cannot spell it (contains, in, a field that is not a dotted path).
-- Used by flowable.bpmn_from_graph for sequence flow conditionExpressions.
CREATE OR REPLACE FUNCTION flowable.bpmn_condition_expression(p_condition jsonb, p_top boolean DEFAULT true)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_parts text[];
    v_part text;
    v_item jsonb;
    v_text text;
    v_value jsonb := p_condition -> 'value';
BEGIN
    IF jsonb_typeof(p_condition) <> 'object' THEN
        RETURN NULL;
    ELSIF p_condition ? 'all' OR p_condition ? 'any' THEN
        IF jsonb_typeof(coalesce(p_condition -> 'all', p_condition -> 'any')) <> 'array' THEN
            RETURN NULL;
        END IF;
        IF jsonb_array_length(coalesce(p_condition -> 'all', p_condition -> 'any')) = 0 THEN
            v_text := CASE WHEN p_condition ? 'all' THEN 'true' ELSE 'false' END;
        ELSE
            -- each member is written recursively (a loop over at most a few conditions)
            FOR v_item IN SELECT value FROM jsonb_array_elements(coalesce(p_condition -> 'all', p_condition -> 'any')) LOOP
                v_part := flowable.bpmn_condition_expression(v_item, false);
                IF v_part IS NULL THEN
                    RETURN NULL;
                END IF;
                v_parts := v_parts || v_part;
            END LOOP;
            v_text := '(' || array_to_string(v_parts, CASE WHEN p_condition ? 'all' THEN ' && ' ELSE ' || ' END) || ')';
        END IF;
    ELSIF p_condition ? 'not' THEN
        v_part := flowable.bpmn_condition_expression(p_condition -> 'not', false);
        IF v_part IS NULL THEN
            RETURN NULL;
        END IF;
        v_text := '!(' || v_part || ')';
    ELSIF coalesce(p_condition ->> 'field', '') !~ '^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$'
          OR p_condition ->> 'field' ~ '(^|\.)(true|false|null|and|or|not|eq|ne|lt|le|gt|ge|empty|div|mod|instanceof)(\.|$)' THEN
        RETURN NULL;
    ELSIF p_condition ->> 'operator' = 'exists' THEN
        v_text := (p_condition ->> 'field') || ' != null';
    ELSIF p_condition ->> 'operator' = 'empty' THEN
        v_text := 'empty ' || (p_condition ->> 'field');
    ELSIF p_condition ? 'valueField' THEN
        -- two variables: written as such when the second is a plain path too
        IF coalesce(p_condition ->> 'valueField', '') !~ '^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$'
           OR p_condition ->> 'valueField' ~ '(^|\.)(true|false|null|and|or|not|eq|ne|lt|le|gt|ge|empty|div|mod|instanceof)(\.|$)'
           OR p_condition ->> 'operator' NOT IN ('equals', 'not_equals', 'greater_than', 'greater_than_or_equal',
                                                 'less_than', 'less_than_or_equal') THEN
            RETURN NULL;
        END IF;
        v_text := (p_condition ->> 'field') || ' '
            || CASE p_condition ->> 'operator' WHEN 'equals' THEN '==' WHEN 'not_equals' THEN '!='
                    WHEN 'greater_than' THEN '>' WHEN 'greater_than_or_equal' THEN '>='
                    WHEN 'less_than' THEN '<' ELSE '<=' END || ' ' || (p_condition ->> 'valueField');
    ELSIF p_condition ->> 'operator' IN ('equals', 'not_equals', 'greater_than', 'greater_than_or_equal',
                                         'less_than', 'less_than_or_equal')
          AND jsonb_typeof(v_value) IN ('string', 'number', 'boolean') THEN
        v_text := (p_condition ->> 'field') || ' '
            || CASE p_condition ->> 'operator' WHEN 'equals' THEN '==' WHEN 'not_equals' THEN '!='
                    WHEN 'greater_than' THEN '>' WHEN 'greater_than_or_equal' THEN '>='
                    WHEN 'less_than' THEN '<' ELSE '<=' END || ' '
            || CASE jsonb_typeof(v_value)
                    WHEN 'string' THEN '"' || replace(replace(v_value #>> '{}', E'\\', E'\\\\'), '"', E'\\"') || '"'
                    ELSE v_value::text END;
    ELSE
        RETURN NULL;
    END IF;
    RETURN CASE WHEN p_top THEN '${' || v_text || '}' ELSE v_text END;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_condition_expression(jsonb, boolean) IS
    'Writes a pgwf condition as a ${...} expression that flowable.compile_condition_expression reads back; NULL when the grammar cannot express it.';

REVOKE ALL ON FUNCTION flowable.bpmn_condition_expression(jsonb, boolean) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_condition_expression(jsonb, boolean) TO pgwf_app;
