-- An operator asks for one more delivery of a notification the notifier gave up on: failed
-- becomes pending, deliverable at once. Called by the CLI (pgwf notification retry) as the
-- DBA's login; granted to pgwf_worker with the other outbox functions.
CREATE OR REPLACE FUNCTION automation.retry_notification(p_notification_id uuid)
RETURNS varchar
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_status varchar;
BEGIN
    IF p_notification_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_notification_id must name a notification';
    END IF;
    SELECT n.status INTO v_status FROM automation.workflow_notifications n WHERE n.id = p_notification_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('notification %s does not exist', p_notification_id);
    END IF;
    IF v_status <> 'failed' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('notification %s is %s: only a failed notification can be retried', p_notification_id, v_status),
            HINT = CASE v_status WHEN 'pending' THEN 'The notifier delivers it when it is due (next_attempt_at).' END;
    END IF;
    -- retry_count and error_details stay: the history of attempts; one more failure fails it again
    UPDATE automation.workflow_notifications
    SET status = 'pending',
        next_attempt_at = NULL,
        lease_owner = NULL,
        lease_expires_at = NULL
    WHERE id = p_notification_id;
    RETURN 'pending';
END;
$$;

COMMENT ON FUNCTION automation.retry_notification(uuid) IS
    'Makes a failed notification pending again, deliverable at once (retry_count and the last error kept: a failed attempt fails it again). PW400, PW404, PW409 when it is not failed.';

REVOKE ALL ON FUNCTION automation.retry_notification(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.retry_notification(uuid) TO pgwf_worker;
