-- The date helpers a BPMN due date or timer may use (docs/bpmn.md, "Date helpers"): ${now()} or
-- ${dateTime()}, then any of .plusYears(n), .plusMonths(n), .plusWeeks(n), .plusDays(n),
-- .plusHours(n), .plusMinutes(n), .plusSeconds(n) (n a whole number), an optional .toDate(),
-- and an optional + 'ISO 8601 duration' (${now() + 'P2D'}). The value is the moment the task is
-- created or the timer starts, plus that offset. Returns {"seconds": offset} (months as 30
-- days), {"problem": why, with the position} for a helper outside this set, or NULL for a value
-- that is no date helper at all. Nothing is evaluated. Called by flowable.bpmn_compile and
-- flowable.bpmn_event_node/bpmn_event_problems.
CREATE OR REPLACE FUNCTION flowable.bpmn_date_offset(p_value text)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_text text := btrim(coalesce(p_value, ''), E' \t\r\n');
    v_body text;
    v_pos integer;
    v_rest text;
    v_step text[];
    v_offset interval := interval '0';
    v_dated boolean := false;
BEGIN
    IF v_text !~ '^[$#]\{\s*(now|dateTime)\s*\(' THEN
        RETURN NULL;
    ELSIF v_text !~ '\}$' THEN
        RETURN jsonb_build_object('problem', 'is not closed by "}"');
    END IF;
    v_body := substr(v_text, 3, length(v_text) - 3);
    IF length(v_body) > 200 THEN
        RETURN jsonb_build_object('problem', 'is longer than 200 characters');
    END IF;
    -- positions count from the first character after ${
    v_step := regexp_match(v_body, '^(\s*(now|dateTime)\s*\(\s*\))');
    IF v_step IS NULL THEN
        RETURN jsonb_build_object('problem', format('at position %s: now() and dateTime() take no arguments',
                                                    strpos(v_body, '(') + 1));
    END IF;
    v_pos := length(v_step[1]) + 1;
    -- a loop over the few method calls and the one added duration
    LOOP
        v_rest := substr(v_body, v_pos);
        EXIT WHEN v_rest ~ '^\s*$';
        v_step := regexp_match(v_rest, '^(\s*\.\s*plus(Years|Months|Weeks|Days|Hours|Minutes|Seconds)\s*\(\s*([0-9]{1,6})\s*\))');
        IF v_step IS NOT NULL AND NOT v_dated THEN
            v_offset := v_offset + (v_step[3] || ' ' || lower(v_step[2]))::interval;
            v_pos := v_pos + length(v_step[1]);
            CONTINUE;
        END IF;
        v_step := regexp_match(v_rest, '^(\s*\.\s*toDate\s*\(\s*\))');
        IF v_step IS NOT NULL AND NOT v_dated THEN
            v_dated := true;
            v_pos := v_pos + length(v_step[1]);
            CONTINUE;
        END IF;
        v_step := regexp_match(v_rest, '^(\s*\+\s*([''"])(P[0-9A-Z.]*)\2\s*)$');
        IF v_step IS NOT NULL THEN
            IF NOT automation.timer_is_duration(v_step[3]) THEN
                RETURN jsonb_build_object('problem', format('at position %s: %s is not an ISO 8601 duration such as P2D or PT4H',
                                                            v_pos + strpos(v_rest, v_step[2]) - 1, v_step[3]));
            END IF;
            v_offset := v_offset + v_step[3]::interval;
            EXIT;
        END IF;
        RETURN jsonb_build_object('problem', format(
            'at position %s: "%s" is not a date helper (after now() or dateTime(): .plusYears, .plusMonths, .plusWeeks, '
            || '.plusDays, .plusHours, .plusMinutes or .plusSeconds with a whole number, .toDate(), + ''ISO duration'')',
            v_pos + length(v_rest) - length(ltrim(v_rest)), left(ltrim(v_rest), 30)));
    END LOOP;
    RETURN jsonb_build_object('seconds', extract(epoch FROM v_offset)::bigint);
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_date_offset(text) IS
    'The offset from now a BPMN date helper stands for (${now()}, ${dateTime().plusDays(2).toDate()}, ${now() + ''P2D''}): {"seconds": n}, {"problem": why with the position} for a helper outside the set, NULL for a value that is no date helper.';

REVOKE ALL ON FUNCTION flowable.bpmn_date_offset(text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_date_offset(text) TO pgwf_app;
