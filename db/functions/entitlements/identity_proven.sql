-- Does app.identity_proof sign p_user_id, with app.auth_method and app.auth_token_id, for this
-- transaction? The check entitlements.current_user_id makes for a login that is not a trusted
-- caller; SECURITY DEFINER because only the owner reads the key. No signature set: false at
-- once, without a hash.
CREATE OR REPLACE FUNCTION entitlements.identity_proven(p_user_id text)
RETURNS boolean
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NULLIF(pg_catalog.current_setting('app.identity_proof', true), '') IS NULL THEN
        RETURN false;
    END IF;
    RETURN COALESCE((SELECT pg_catalog.current_setting('app.identity_proof', true)
                            = entitlements.identity_proof(k, p_user_id, pg_catalog.current_setting('app.auth_method', true),
                                                          pg_catalog.current_setting('app.auth_token_id', true))
                     FROM entitlements.identity_keys k WHERE k.key_id = 1), false);
END;
$$;

COMMENT ON FUNCTION entitlements.identity_proven(text) IS
    'True when app.identity_proof is the signature entitlements.authenticate or act_as made for p_user_id in this transaction; false for an unsigned, forged, altered or replayed setting.';

REVOKE ALL ON FUNCTION entitlements.identity_proven(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.identity_proven(text) TO pgwf_app, pgwf_worker, pgwf_reporting;
