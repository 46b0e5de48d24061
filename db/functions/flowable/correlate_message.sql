-- Delivers a message to the run that waits for it (BPMN message correlation): an application or
-- person names the message, optionally the business key of the run and a correlation (process
-- variables the run must hold), and the variables the message carries. The catching run moves on
-- in the same transaction; with no catch the processes that start on this message start. A
-- message that matches nothing is reported, not raised (a message nobody waits for is lost).
-- Called through POST /messages, `pgwf message send` or directly.
CREATE OR REPLACE FUNCTION flowable.correlate_message(
    p_message_name varchar,
    p_business_key varchar DEFAULT NULL,
    p_correlation jsonb DEFAULT NULL,
    p_variables jsonb DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_message_name IS NULL OR btrim(p_message_name) = '' OR length(p_message_name) > 255 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_message_name must be a name of 1 to 255 characters';
    END IF;
    IF p_correlation IS NOT NULL AND jsonb_typeof(p_correlation) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_correlation must be a JSON object of variable names and values';
    END IF;
    IF p_variables IS NOT NULL AND jsonb_typeof(p_variables) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_variables must be a JSON object';
    END IF;
    RETURN flowable.engine_deliver_message(btrim(p_message_name), NULLIF(btrim(p_business_key), ''),
                                           NULLIF(p_correlation, '{}'::jsonb), p_variables, true);
END;
$$;

COMMENT ON FUNCTION flowable.correlate_message(varchar, varchar, jsonb, jsonb) IS
    'Delivers a message: {"correlated": true, "instance_id", "node_id"} when one waiting catch matches name, business key and correlation (its run moves on), {"correlated": true, "started": [...]} when message start events started runs, {"correlated": false, "reason"} when nothing matched. PW400 bad arguments, PW409 several runs match.';

REVOKE ALL ON FUNCTION flowable.correlate_message(varchar, varchar, jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.correlate_message(varchar, varchar, jsonb, jsonb) TO pgwf_app, pgwf_worker;
