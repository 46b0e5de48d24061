-- Broadcasts a signal (BPMN signal event): every run waiting for it moves on and the processes
-- that start on it start, in the same transaction. Called through POST /signals,
-- `pgwf signal send` or directly.
CREATE OR REPLACE FUNCTION flowable.send_signal(p_signal_name varchar, p_variables jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_signal_name IS NULL OR btrim(p_signal_name) = '' OR length(p_signal_name) > 255 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_signal_name must be a name of 1 to 255 characters';
    END IF;
    IF p_variables IS NOT NULL AND jsonb_typeof(p_variables) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_variables must be a JSON object';
    END IF;
    RETURN flowable.engine_deliver_signal(btrim(p_signal_name), p_variables);
END;
$$;

COMMENT ON FUNCTION flowable.send_signal(varchar, jsonb) IS
    'Broadcasts a signal to every waiting catch of that name and starts the processes with that signal start event; returns {"signal", "delivered", "started"}. PW400 bad arguments. A signal nobody waits for is lost.';

REVOKE ALL ON FUNCTION flowable.send_signal(varchar, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.send_signal(varchar, jsonb) TO pgwf_app, pgwf_worker;
