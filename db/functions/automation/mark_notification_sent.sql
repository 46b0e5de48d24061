-- The notifier reports a delivered notification; an approval_request also counts on its
-- approval's notifications_sent. Only the notifier holding the lease reports (p_worker_id; NULL is
-- refused). Called by the notifier.
CREATE OR REPLACE FUNCTION automation.mark_notification_sent(
    p_notification_id uuid,
    p_worker_id varchar DEFAULT NULL,
    p_delivered boolean DEFAULT false
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_row automation.workflow_notifications := automation.engine_lock_notification(p_notification_id, p_worker_id);
BEGIN
    UPDATE automation.workflow_notifications
    SET status = 'sent',
        sent_at = clock_timestamp(),
        delivered_at = CASE WHEN p_delivered THEN clock_timestamp() END,
        lease_owner = NULL,
        lease_expires_at = NULL,
        error_details = NULL
    WHERE id = p_notification_id;
    IF v_row.notification_type = 'approval_request' AND v_row.execution_id IS NOT NULL THEN
        UPDATE automation.workflow_approvals
        SET notifications_sent = notifications_sent + 1
        WHERE execution_id = v_row.execution_id;
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.mark_notification_sent(uuid, varchar, boolean) IS
    'Marks a leased notification sent (delivered_at too when the channel confirmed delivery); an approval_request adds one to its approval''s notifications_sent. PW400 without p_worker_id (only the lease holder reports), PW404, PW409, PW410.';

REVOKE ALL ON FUNCTION automation.mark_notification_sent(uuid, varchar, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.mark_notification_sent(uuid, varchar, boolean) TO pgwf_worker;
