-- A timeCycle cron expression in the 5-field form cron_parse reads: Quartz's 6- or 7-field form
-- (seconds first, an optional year last, ? for "no specific value"), which Flowable and Camunda
-- use, loses its seconds (which must be 0) and year; ? becomes *. Used by the timer functions.
CREATE OR REPLACE FUNCTION automation.timer_cron_fields(p_expression text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_fields text[] := regexp_split_to_array(replace(btrim(COALESCE(p_expression, '')), '?', '*'), '\s+');
BEGIN
    IF cardinality(v_fields) IN (6, 7) THEN
        IF v_fields[1] NOT IN ('0', '00') THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422',
                MESSAGE = format('cron expression %s fires at a second other than 0, which timers cannot', quote_literal(p_expression));
        END IF;
        IF cardinality(v_fields) = 7 AND v_fields[7] <> '*' THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422',
                MESSAGE = format('cron expression %s names a year, which timers do not support', quote_literal(p_expression));
        END IF;
        v_fields := v_fields[2:6];
    END IF;
    RETURN array_to_string(v_fields, ' ');
END;
$$;

COMMENT ON FUNCTION automation.timer_cron_fields(text) IS
    'A 5-field cron expression from a 5-, 6- or 7-field one (Quartz seconds and year dropped, ? as *); PW422 for seconds other than 0 or a year.';

REVOKE ALL ON FUNCTION automation.timer_cron_fields(text) FROM PUBLIC;
-- pure (no table access): validate_workflow_graph, granted to people, runs it as the caller
GRANT EXECUTE ON FUNCTION automation.timer_cron_fields(text) TO pgwf_app;
