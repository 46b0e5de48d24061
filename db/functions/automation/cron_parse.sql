-- Parses a 5-field cron expression (minute hour day-of-month month day-of-week) into the sets
-- of values each field allows; day-of-week 7 is Sunday like 0. PW422 for anything else.
-- Used by save_trigger (validation) and cron_latest_due.
CREATE OR REPLACE FUNCTION automation.cron_parse(p_expression text)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_fields text[] := regexp_split_to_array(btrim(COALESCE(p_expression, '')), '\s+');
    v_dow integer[];
BEGIN
    IF cardinality(v_fields) <> 5 OR v_fields[1] = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('cron expression %s must have 5 fields: minute hour day-of-month month day-of-week',
                             COALESCE(quote_literal(p_expression), 'NULL'));
    END IF;
    v_dow := automation.cron_field_values(v_fields[5], 0, 7, ARRAY['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']);
    RETURN jsonb_build_object(
        'minute', to_jsonb(automation.cron_field_values(v_fields[1], 0, 59)),
        'hour', to_jsonb(automation.cron_field_values(v_fields[2], 0, 23)),
        'dom', to_jsonb(automation.cron_field_values(v_fields[3], 1, 31)),
        'month', to_jsonb(automation.cron_field_values(v_fields[4], 1, 12,
                     ARRAY['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'])),
        'dow', to_jsonb(ARRAY(SELECT DISTINCT CASE WHEN d = 7 THEN 0 ELSE d END FROM unnest(v_dow) d ORDER BY 1)),
        'dom_any', v_fields[3] = '*',
        'dow_any', v_fields[5] = '*');
END;
$$;

COMMENT ON FUNCTION automation.cron_parse(text) IS
    'The value sets of a 5-field cron expression as {"minute", "hour", "dom", "month", "dow", "dom_any", "dow_any"}; PW422 naming the bad field.';

REVOKE ALL ON FUNCTION automation.cron_parse(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.cron_parse(text) TO pgwf_app;
