-- Rejects a pending approval as the current user (a holder of its approver role), with a reason;
-- the run continues down the approval node's "rejected" edge. Called by the API and the CLI.
CREATE OR REPLACE FUNCTION automation.reject_step(p_approval_id uuid, p_reason text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM automation.decide_approval(p_approval_id, 'rejected', p_reason);
END;
$$;

COMMENT ON FUNCTION automation.reject_step(uuid, text) IS
    'Rejects the approval as the current user, who must hold its approver role; the run follows the rejected edge. PW401, PW403, PW404, PW409.';

REVOKE ALL ON FUNCTION automation.reject_step(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.reject_step(uuid, text) TO pgwf_app;
