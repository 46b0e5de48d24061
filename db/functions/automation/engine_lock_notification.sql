-- Outbox helper: locks a notification the notifier reports on and checks that it is pending and
-- leased to that notifier with a live lease; a report naming no notifier is refused. Used by
-- mark_notification_sent / _failed.
CREATE OR REPLACE FUNCTION automation.engine_lock_notification(p_notification_id uuid, p_worker_id varchar)
RETURNS automation.workflow_notifications
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_row automation.workflow_notifications;
BEGIN
    SELECT * INTO v_row FROM automation.workflow_notifications WHERE id = p_notification_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('notification %s does not exist', p_notification_id);
    END IF;
    IF v_row.status <> 'pending' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409', MESSAGE = format('notification %s is %s, not pending', p_notification_id, v_row.status);
    END IF;
    IF p_worker_id IS NULL OR btrim(p_worker_id) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('notification %s is leased to %s; a report on it must name the notifier holding its lease (p_worker_id)',
                             p_notification_id, COALESCE(v_row.lease_owner, 'nobody')),
            HINT = 'Pass the notifier id the notification was claimed with (automation.claim_notifications).';
    END IF;
    IF v_row.lease_expires_at IS NULL OR v_row.lease_expires_at < clock_timestamp()
       OR v_row.lease_owner IS DISTINCT FROM p_worker_id THEN
        RAISE EXCEPTION USING ERRCODE = 'PW410',
            MESSAGE = format('the delivery lease on notification %s was lost (owner %s, expired %s)', p_notification_id,
                             COALESCE(v_row.lease_owner, 'none'), COALESCE(v_row.lease_expires_at::text, 'never leased'));
    END IF;
    RETURN v_row;
END;
$$;

COMMENT ON FUNCTION automation.engine_lock_notification(uuid, varchar) IS
    'Locks and returns a pending notification leased to the notifier p_worker_id. PW400 without a notifier id (naming the holder), PW404 unknown, PW409 not pending, PW410 lease lost or held by another notifier.';

REVOKE ALL ON FUNCTION automation.engine_lock_notification(uuid, varchar) FROM PUBLIC;
