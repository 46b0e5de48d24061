-- When a timer is due: a date at that time; a duration that long after p_after; a cycle
-- R<n>/[start/]<duration> at its start (or one duration after p_after) the first time and one
-- duration after the last due time thereafter; a cron cycle at the first matching minute (UTC)
-- after p_after. NULL for a date or duration that has fired (p_first false). The definition's
-- values are filled ({{path}}) before. Used by the timer subscription and firing functions.
CREATE OR REPLACE FUNCTION automation.timer_next_due(p_timer jsonb, p_after timestamptz, p_first boolean)
RETURNS timestamptz
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_cycle text := btrim(p_timer ->> 'cycle');
    v_parts text[];
    v_cron jsonb;
    v_day date;
    v_hour integer;
    v_minute integer;
    v_at timestamptz;
BEGIN
    IF p_timer ? 'date' THEN
        RETURN CASE WHEN p_first THEN automation.timer_parse_date(p_timer ->> 'date') END;
    ELSIF p_timer ? 'duration' THEN
        RETURN CASE WHEN p_first THEN p_after + btrim(p_timer ->> 'duration')::interval END;
    ELSIF v_cycle ~ '^R' THEN
        v_parts := string_to_array(v_cycle, '/');
        IF p_first AND cardinality(v_parts) = 3 THEN
            RETURN automation.timer_parse_date(v_parts[2]);
        END IF;
        RETURN p_after + v_parts[cardinality(v_parts)]::interval;
    END IF;
    -- cron: the first matching minute after p_after; a loop over at most five years of days,
    -- each day tried only when its month and day match
    v_cron := automation.cron_parse(automation.timer_cron_fields(v_cycle));
    v_day := (p_after AT TIME ZONE 'UTC')::date;
    FOR i IN 0 .. 1830 LOOP
        IF (v_cron -> 'month') @> to_jsonb(extract(month FROM v_day)::integer)
           AND (CASE WHEN (v_cron ->> 'dom_any')::boolean AND (v_cron ->> 'dow_any')::boolean THEN true
                    WHEN (v_cron ->> 'dom_any')::boolean THEN (v_cron -> 'dow') @> to_jsonb(extract(dow FROM v_day)::integer)
                    WHEN (v_cron ->> 'dow_any')::boolean THEN (v_cron -> 'dom') @> to_jsonb(extract(day FROM v_day)::integer)
                    ELSE (v_cron -> 'dom') @> to_jsonb(extract(day FROM v_day)::integer)
                         OR (v_cron -> 'dow') @> to_jsonb(extract(dow FROM v_day)::integer) END) THEN
            FOR v_hour IN SELECT h::integer FROM jsonb_array_elements_text(v_cron -> 'hour') h ORDER BY 1 LOOP
                FOR v_minute IN SELECT m::integer FROM jsonb_array_elements_text(v_cron -> 'minute') m ORDER BY 1 LOOP
                    v_at := (v_day + make_time(v_hour, v_minute, 0)) AT TIME ZONE 'UTC';
                    IF v_at > p_after THEN
                        RETURN v_at;
                    END IF;
                END LOOP;
            END LOOP;
        END IF;
        v_day := v_day + 1;
    END LOOP;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.timer_next_due(jsonb, timestamptz, boolean) IS
    'The next due time of a timer definition after p_after (p_first: the timer starts now); NULL when it fires no more.';

REVOKE ALL ON FUNCTION automation.timer_next_due(jsonb, timestamptz, boolean) FROM PUBLIC;
