-- The notifier reports a failed delivery: retried with exponential backoff (30 s * 2^retry,
-- at most one hour) up to notification_data.maxRetries (default 5), then failed. Called by
-- the notifier holding the lease (p_worker_id; NULL is refused).
CREATE OR REPLACE FUNCTION automation.mark_notification_failed(
    p_notification_id uuid,
    p_error text,
    p_retryable boolean DEFAULT true,
    p_worker_id varchar DEFAULT NULL
)
RETURNS varchar
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_row automation.workflow_notifications := automation.engine_lock_notification(p_notification_id, p_worker_id);
    v_max integer;
BEGIN
    IF p_error IS NULL OR btrim(p_error) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_error must say what went wrong';
    END IF;
    v_max := COALESCE((v_row.notification_data ->> 'maxRetries')::integer, 5);
    IF COALESCE(p_retryable, true) AND v_row.retry_count < v_max THEN
        UPDATE automation.workflow_notifications
        SET retry_count = retry_count + 1,
            error_details = p_error,
            next_attempt_at = clock_timestamp() + make_interval(secs => LEAST(3600, 30 * power(2, v_row.retry_count))),
            lease_owner = NULL,
            lease_expires_at = NULL
        WHERE id = p_notification_id;
        RETURN 'retrying';
    END IF;
    UPDATE automation.workflow_notifications
    SET status = 'failed',
        retry_count = retry_count + 1,
        error_details = p_error,
        lease_owner = NULL,
        lease_expires_at = NULL
    WHERE id = p_notification_id;
    RETURN 'failed';
END;
$$;

COMMENT ON FUNCTION automation.mark_notification_failed(uuid, text, boolean, varchar) IS
    'Reports a failed delivery: ''retrying'' (pending again after 30 s * 2^retry_count, at most 3600 s) while retryable and under notification_data.maxRetries (default 5), else ''failed''. PW400 (also without p_worker_id: only the lease holder reports), PW404, PW409, PW410.';

REVOKE ALL ON FUNCTION automation.mark_notification_failed(uuid, text, boolean, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.mark_notification_failed(uuid, text, boolean, varchar) TO pgwf_worker;
