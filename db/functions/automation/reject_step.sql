-- Rejects a pending approval as the current user (a holder of its approver role), with a reason;
-- the run continues down the approval node's "rejected" edge; with an idempotency key, a repeat
-- is answered like the first call instead of PW409. Called by the API and the CLI.
CREATE OR REPLACE FUNCTION automation.reject_step(p_approval_id uuid, p_reason text DEFAULT NULL, p_idempotency_key varchar DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM automation.decide_approval(p_approval_id, 'rejected', p_reason, p_idempotency_key);
END;
$$;

COMMENT ON FUNCTION automation.reject_step(uuid, text, varchar) IS
    'Rejects the approval as the current user, who must hold its approver role; the run follows the rejected edge. PW401, PW403, PW404, PW409. With p_idempotency_key, a repeat by the same user succeeds without deciding again, the key with other arguments is PW422.';

REVOKE ALL ON FUNCTION automation.reject_step(uuid, text, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.reject_step(uuid, text, varchar) TO pgwf_app;
