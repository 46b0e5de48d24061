-- Expands one field of a 5-field cron expression ("*", "5", "1-5", "*/15", "10-40/10", lists,
-- and names like MON or JAN) into the sorted set of values it allows. Refuses anything else
-- with PW422. Used by cron_parse.
CREATE OR REPLACE FUNCTION automation.cron_field_values(p_field text, p_min integer, p_max integer, p_names text[] DEFAULT NULL)
RETURNS integer[]
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_part text;
    v_m text[];
    v_lo integer;
    v_hi integer;
    v_step integer;
    v_values integer[] := '{}';
    v_text text := upper(btrim(p_field));
    v_i integer;
BEGIN
    IF v_text IS NULL OR v_text = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'a cron field is empty';
    END IF;
    -- names (MON, JAN) become their numbers first
    IF p_names IS NOT NULL THEN
        FOR v_i IN 1 .. cardinality(p_names) LOOP
            v_text := replace(v_text, p_names[v_i], (p_min + v_i - 1)::text);
        END LOOP;
    END IF;
    -- a loop over the comma-separated parts of the field
    FOREACH v_part IN ARRAY string_to_array(v_text, ',') LOOP
        v_m := regexp_match(v_part, '^(\*|(\d+)(?:-(\d+))?)(?:/(\d+))?$');
        IF v_m IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('cron field %s: %s is not a value, range, list or step', quote_literal(p_field), quote_literal(v_part));
        END IF;
        IF v_m[1] = '*' THEN
            v_lo := p_min; v_hi := p_max;
        ELSE
            v_lo := v_m[2]::integer;
            v_hi := COALESCE(v_m[3]::integer, CASE WHEN v_m[4] IS NOT NULL THEN p_max ELSE v_lo END);
        END IF;
        v_step := COALESCE(v_m[4]::integer, 1);
        IF v_lo < p_min OR v_hi > p_max OR v_lo > v_hi OR v_step < 1 THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422',
                MESSAGE = format('cron field %s: %s is outside %s-%s', quote_literal(p_field), quote_literal(v_part), p_min, p_max);
        END IF;
        v_values := v_values || ARRAY(SELECT generate_series(v_lo, v_hi, v_step));
    END LOOP;
    RETURN ARRAY(SELECT DISTINCT unnest(v_values) ORDER BY 1);
END;
$$;

COMMENT ON FUNCTION automation.cron_field_values(text, integer, integer, text[]) IS
    'Values one cron field allows within p_min..p_max: *, n, a-b, */s, a-b/s, n/s, comma lists, optional names (numbered from p_min). PW422 otherwise.';

REVOKE ALL ON FUNCTION automation.cron_field_values(text, integer, integer, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.cron_field_values(text, integer, integer, text[]) TO pgwf_app;
