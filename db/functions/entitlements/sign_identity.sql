-- Sets the identity of the current transaction with its signature: app.current_user_id,
-- app.auth_method, app.auth_token_id and app.identity_proof, all transaction-local (they end
-- at COMMIT or ROLLBACK, so a pooled or PgBouncer-shared connection carries nothing over).
-- Called by entitlements.authenticate and entitlements.act_as.
CREATE OR REPLACE FUNCTION entitlements.sign_identity(p_user_id varchar, p_method text, p_token_id bigint)
RETURNS varchar
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM entitlements.identity_key();  -- made on first use
    PERFORM set_config('app.current_user_id', p_user_id, true),
            set_config('app.auth_method', p_method, true),
            set_config('app.auth_token_id', COALESCE(p_token_id::text, ''), true),
            set_config('app.identity_proof',
                       entitlements.identity_proof(p_user_id, p_method, COALESCE(p_token_id::text, '')), true);
    RETURN p_user_id;
END;
$$;

COMMENT ON FUNCTION entitlements.sign_identity(varchar, text, bigint) IS
    'Sets app.current_user_id, app.auth_method, app.auth_token_id and their signature app.identity_proof for the current transaction (set_config local). Internal to authenticate and act_as.';

REVOKE ALL ON FUNCTION entitlements.sign_identity(varchar, text, bigint) FROM PUBLIC;
