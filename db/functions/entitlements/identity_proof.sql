-- The signature of an identity in the current transaction: HMAC-SHA-256 with the database's key
-- over the auth method, token id, backend pid, transaction start and user id, so a proof read
-- back by its caller is worth nothing in another transaction or session. Used by
-- entitlements.sign_identity (to make one) and entitlements.identity_proven (to check one).
CREATE OR REPLACE FUNCTION entitlements.identity_proof(p_user_id text, p_method text, p_token_id text)
RETURNS text
LANGUAGE sql
STABLE
PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    -- the user id goes last: it is the only part that may hold the separator
    SELECT encode(sha256(k.outer_pad || sha256(k.inner_pad || convert_to(
               format('%s|%s|%s|%s|%s', p_method, COALESCE(p_token_id, ''), pg_backend_pid(),
                      extract(epoch FROM now()), p_user_id), 'UTF8'))), 'hex')
    FROM entitlements.identity_keys k
    WHERE k.key_id = 1;
$$;

COMMENT ON FUNCTION entitlements.identity_proof(text, text, text) IS
    'HMAC-SHA-256 (entitlements.identity_keys) of method, token id, backend pid, transaction start and user id: valid in this transaction of this session only. NULL before the key exists. Internal.';

REVOKE ALL ON FUNCTION entitlements.identity_proof(text, text, text) FROM PUBLIC;
