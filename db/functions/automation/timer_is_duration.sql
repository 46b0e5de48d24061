-- Whether a text is an ISO 8601 duration with designators (P1Y2M3W4DT5H6M7.5S, at least one
-- part, T only before a time part), the form BPMN timeDuration uses. Used by timer_problem.
CREATE OR REPLACE FUNCTION automation.timer_is_duration(p_text text)
RETURNS boolean
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
BEGIN
    IF p_text IS NULL OR p_text !~ '^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$'
       OR p_text ~ '^PT?$' OR p_text ~ 'T$' THEN
        RETURN false;
    END IF;
    PERFORM p_text::interval;
    RETURN true;
EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR interval_field_overflow THEN
    RETURN false;
END;
$$;

COMMENT ON FUNCTION automation.timer_is_duration(text) IS
    'true for an ISO 8601 duration with designators (P1DT2H, PT10M, P2W); false otherwise.';

REVOKE ALL ON FUNCTION automation.timer_is_duration(text) FROM PUBLIC;
-- pure (no table access): validate_workflow_graph, granted to people, runs it as the caller
GRANT EXECUTE ON FUNCTION automation.timer_is_duration(text) TO pgwf_app;
