-- The latest minute in (p_after, p_until] at which a cron expression fires in a time zone, or
-- NULL. Looks back at most seven days: after downtime a schedule fires once, for its latest
-- missed minute, never once per missed minute. Used by fire_due_schedules.
CREATE OR REPLACE FUNCTION automation.cron_latest_due(
    p_expression text, p_timezone text, p_after timestamptz, p_until timestamptz
)
RETURNS timestamptz
LANGUAGE sql
STABLE
AS $$
    WITH c AS (SELECT automation.cron_parse(p_expression) AS p),
    sets AS (
        SELECT ARRAY(SELECT jsonb_array_elements_text(p -> 'minute')::integer) AS mi,
               ARRAY(SELECT jsonb_array_elements_text(p -> 'hour')::integer) AS hr,
               ARRAY(SELECT jsonb_array_elements_text(p -> 'dom')::integer) AS dom,
               ARRAY(SELECT jsonb_array_elements_text(p -> 'month')::integer) AS mon,
               ARRAY(SELECT jsonb_array_elements_text(p -> 'dow')::integer) AS dow,
               (p ->> 'dom_any')::boolean AS dom_any, (p ->> 'dow_any')::boolean AS dow_any
        FROM c
    )
    SELECT m
    FROM sets,
         generate_series(date_trunc('minute', p_until),
                         GREATEST(p_after, p_until - interval '7 days'),
                         interval '-1 minute') AS m,
         LATERAL (SELECT m AT TIME ZONE COALESCE(p_timezone, 'UTC') AS l) loc
    WHERE m > p_after
      AND extract(minute FROM loc.l)::integer = ANY (sets.mi)
      AND extract(hour FROM loc.l)::integer = ANY (sets.hr)
      AND extract(month FROM loc.l)::integer = ANY (sets.mon)
      -- cron's rule: with both day fields restricted, either may match
      AND CASE WHEN sets.dom_any OR sets.dow_any
               THEN extract(day FROM loc.l)::integer = ANY (sets.dom) AND extract(dow FROM loc.l)::integer = ANY (sets.dow)
               ELSE extract(day FROM loc.l)::integer = ANY (sets.dom) OR extract(dow FROM loc.l)::integer = ANY (sets.dow) END
    ORDER BY m DESC
    LIMIT 1;
$$;

COMMENT ON FUNCTION automation.cron_latest_due(text, text, timestamptz, timestamptz) IS
    'Latest whole minute after p_after and at most p_until (looking back at most 7 days) that the cron expression matches in the time zone; NULL if none.';

REVOKE ALL ON FUNCTION automation.cron_latest_due(text, text, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.cron_latest_due(text, text, timestamptz, timestamptz) TO pgwf_app;
