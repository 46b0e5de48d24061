-- The notifier leases pending outbox rows due for delivery (FOR UPDATE SKIP LOCKED), oldest
-- first; a lease that runs out makes the row deliverable again. Called by the notifier.
CREATE OR REPLACE FUNCTION automation.claim_notifications(
    p_worker_id varchar,
    p_batch_size integer DEFAULT 10,
    p_lease_seconds integer DEFAULT 120
)
RETURNS SETOF automation.workflow_notifications
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_worker_id IS NULL OR btrim(p_worker_id) = '' OR length(p_worker_id) > 100 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_worker_id must name the notifier (at most 100 characters)';
    END IF;
    IF p_batch_size IS NULL OR p_batch_size < 1 OR p_batch_size > 1000
       OR p_lease_seconds IS NULL OR p_lease_seconds < 1 OR p_lease_seconds > 86400 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_batch_size must be 1-1000 and p_lease_seconds 1-86400';
    END IF;
    RETURN QUERY
    WITH due AS (
        SELECT n.id FROM automation.workflow_notifications n
        WHERE n.status = 'pending'
          AND (n.next_attempt_at IS NULL OR n.next_attempt_at <= clock_timestamp())
          AND (n.lease_expires_at IS NULL OR n.lease_expires_at < clock_timestamp())
        ORDER BY n.next_attempt_at NULLS FIRST  -- idx_workflow_notifications_deliverable
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED
    )
    UPDATE automation.workflow_notifications n
    SET lease_owner = p_worker_id,
        lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds)
    FROM due
    WHERE n.id = due.id
    RETURNING n.*;
END;
$$;

COMMENT ON FUNCTION automation.claim_notifications(varchar, integer, integer) IS
    'Leases up to p_batch_size pending notifications due for delivery to the notifier for p_lease_seconds (SKIP LOCKED); returns the rows.';

REVOKE ALL ON FUNCTION automation.claim_notifications(varchar, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.claim_notifications(varchar, integer, integer) TO pgwf_worker;
