-- An ISO 8601 date or date-time (as BPMN timeDate writes it) as a timestamptz, or NULL when the
-- text is none; a value without offset is UTC. Used by timer_problem and timer_next_due.
CREATE OR REPLACE FUNCTION automation.timer_parse_date(p_text text)
RETURNS timestamptz
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_text text := btrim(p_text);
BEGIN
    IF v_text IS NULL OR v_text !~ '^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?$' THEN
        RETURN NULL;
    END IF;
    IF v_text !~ '([Zz]|[+-]\d{2}(:?\d{2})?)$' OR v_text ~ '^\d{4}-\d{2}-\d{2}$' THEN
        RETURN (v_text::timestamp) AT TIME ZONE 'UTC';
    END IF;
    RETURN v_text::timestamptz;
EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.timer_parse_date(text) IS
    'The timestamptz of an ISO 8601 date or date-time (UTC when it names no offset), NULL when the text is none.';

REVOKE ALL ON FUNCTION automation.timer_parse_date(text) FROM PUBLIC;
-- pure (no table access): validate_workflow_graph, granted to people, runs it as the caller
GRANT EXECUTE ON FUNCTION automation.timer_parse_date(text) TO pgwf_app;
