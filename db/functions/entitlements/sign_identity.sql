-- Sets the identity of the current transaction: app.current_user_id, app.auth_method,
-- app.auth_token_id, app.auth_user and, for a login that is not a trusted caller, their
-- signature app.identity_proof; all transaction-local (they end at COMMIT or ROLLBACK, so a
-- pooled or PgBouncer-shared connection carries nothing over). A trusted caller's
-- app.current_user_id is believed anyway, so its identity is not signed (no hash per request).
-- Called by entitlements.authenticate and entitlements.act_as.
CREATE OR REPLACE FUNCTION entitlements.sign_identity(p_user_id varchar, p_method text, p_token_id bigint)
RETURNS varchar
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_proof text := '';
BEGIN
    IF NOT pg_has_role(session_user, 'pgwf_trusted_caller', 'MEMBER') THEN
        v_proof := entitlements.identity_proof(entitlements.identity_key(), p_user_id, p_method,
                                               COALESCE(p_token_id::text, ''));
    END IF;
    PERFORM set_config('app.current_user_id', p_user_id, true),
            set_config('app.auth_method', p_method, true),
            set_config('app.auth_token_id', COALESCE(p_token_id::text, ''), true),
            set_config('app.auth_user', p_user_id, true),
            set_config('app.identity_proof', v_proof, true);
    RETURN p_user_id;
END;
$$;

COMMENT ON FUNCTION entitlements.sign_identity(varchar, text, bigint) IS
    'Sets app.current_user_id, app.auth_method, app.auth_token_id, app.auth_user and, for a login outside pgwf_trusted_caller, their signature app.identity_proof (identity_proof, key made on first use), for the current transaction (set_config local). Internal to authenticate and act_as.';

REVOKE ALL ON FUNCTION entitlements.sign_identity(varchar, text, bigint) FROM PUBLIC;
