-- Checks a timer definition of an event node ({"date"}, {"duration"} or {"cycle"}, as BPMN's
-- timeDate, timeDuration and timeCycle): returns what is wrong, or NULL. A value that is a
-- {{path}} template is filled from the run's variables when the timer starts and checked then.
-- Used by validate_workflow_scopes and timer_next_due.
CREATE OR REPLACE FUNCTION automation.timer_problem(p_timer jsonb)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
AS $$
DECLARE
    v_kind text;
    v_value text;
    v_parts text[];
BEGIN
    IF jsonb_typeof(p_timer) IS DISTINCT FROM 'object'
       OR (SELECT count(*) FROM jsonb_object_keys(p_timer) k WHERE k IN ('date', 'duration', 'cycle')) <> 1 THEN
        RETURN 'data.timer must be an object with exactly one of date, duration, cycle';
    END IF;
    v_kind := (SELECT k FROM jsonb_object_keys(p_timer) k WHERE k IN ('date', 'duration', 'cycle'));
    IF jsonb_typeof(p_timer -> v_kind) <> 'string' OR btrim(p_timer ->> v_kind) = '' THEN
        RETURN format('the timer''s %s must be a non-empty string', v_kind);
    END IF;
    v_value := btrim(p_timer ->> v_kind);
    IF v_value ~ '^\{\{\s*\$?[A-Za-z0-9_.-]+\s*\}\}$' THEN
        RETURN NULL;
    END IF;
    IF v_kind = 'date' THEN
        IF automation.timer_parse_date(v_value) IS NULL THEN
            RETURN format('date %s is not an ISO 8601 date-time', quote_literal(v_value));
        END IF;
    ELSIF v_kind = 'duration' THEN
        IF NOT automation.timer_is_duration(v_value) THEN
            RETURN format('duration %s is not an ISO 8601 duration such as PT10M or P1DT2H', quote_literal(v_value));
        END IF;
    ELSE
        IF v_value ~ '^R' THEN
            v_parts := string_to_array(v_value, '/');
            IF v_parts[1] !~ '^R\d*$' OR cardinality(v_parts) NOT IN (2, 3)
               OR NOT automation.timer_is_duration(v_parts[cardinality(v_parts)])
               OR (cardinality(v_parts) = 3 AND automation.timer_problem(jsonb_build_object('date', v_parts[2])) IS NOT NULL) THEN
                RETURN format('cycle %s is not an ISO 8601 repetition such as R3/PT10M or R/2026-01-01T09:00:00Z/P1D', quote_literal(v_value));
            END IF;
        ELSE
            BEGIN
                PERFORM automation.cron_parse(automation.timer_cron_fields(v_value));
            EXCEPTION WHEN SQLSTATE 'PW422' THEN
                RETURN format('cycle %s is neither an ISO 8601 repetition (R3/PT10M) nor a cron expression', quote_literal(v_value));
            END;
        END IF;
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.timer_problem(jsonb) IS
    'What is wrong with a timer definition {"date": ISO date-time} | {"duration": ISO duration} | {"cycle": "R<n>/[start/]<duration>" or cron}, or NULL; {{path}} values are checked when filled.';

REVOKE ALL ON FUNCTION automation.timer_problem(jsonb) FROM PUBLIC;
-- pure (no table access): validate_workflow_graph, granted to people, runs it as the caller
GRANT EXECUTE ON FUNCTION automation.timer_problem(jsonb) TO pgwf_app;
