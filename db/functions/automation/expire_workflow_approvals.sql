-- Expires the pending approvals whose expires_at has passed and fails the steps that waited
-- for them. Called by automation.run_maintenance (every minute) or by a DBA.
CREATE OR REPLACE FUNCTION automation.expire_workflow_approvals()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_expired_count integer;
BEGIN
    -- The approvals expired by this call are carried by RETURNING into the update of their
    -- steps, instead of being found again by a time comparison.
    WITH expired AS (
        UPDATE automation.workflow_approvals
        SET status = 'expired',
            updated_at = NOW()
        WHERE status = 'pending'
          AND expires_at < NOW()
        RETURNING execution_id
    ), failed AS (
        UPDATE automation.workflow_executions we
        SET status = 'failed',
            error_message = 'Approval expired',
            completed_at = NOW()
        FROM expired x
        WHERE we.id = x.execution_id
          AND we.status IN ('pending', 'running', 'waiting_approval')
        RETURNING we.id
    )
    SELECT count(*) INTO v_expired_count FROM expired;

    RETURN v_expired_count;
END;
$$;

COMMENT ON FUNCTION automation.expire_workflow_approvals() IS
    'Marks pending approvals past expires_at as expired and fails the steps waiting for them; returns how many approvals expired.';

REVOKE ALL ON FUNCTION automation.expire_workflow_approvals() FROM PUBLIC;
