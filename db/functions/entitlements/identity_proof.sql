-- The signature of an identity in the current transaction: HMAC-SHA-256 with the database's key
-- over the auth method, token id, backend pid, transaction start and user id, so a proof read
-- back by its caller is worth nothing in another transaction or session. A plain SQL function of
-- the key (inlined into its two callers, entitlements.sign_identity and identity_proven, which
-- alone may read the key); executable by nobody else.
CREATE OR REPLACE FUNCTION entitlements.identity_proof(
    p_key entitlements.identity_keys, p_user_id text, p_method text, p_token_id text)
RETURNS text
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    -- the user id goes last: it is the only part that may hold the separator
    SELECT pg_catalog.encode(pg_catalog.sha256((p_key).outer_pad OPERATOR(pg_catalog.||) pg_catalog.sha256(
               (p_key).inner_pad OPERATOR(pg_catalog.||) pg_catalog.convert_to(
                   pg_catalog.format('%s|%s|%s|%s|%s', p_method, COALESCE(p_token_id, ''), pg_catalog.pg_backend_pid(),
                                     pg_catalog.date_part('epoch', pg_catalog.now()), p_user_id), 'UTF8'))), 'hex');
$$;

COMMENT ON FUNCTION entitlements.identity_proof(entitlements.identity_keys, text, text, text) IS
    'HMAC-SHA-256 with the key (entitlements.identity_keys) of method, token id, backend pid, transaction start and user id: valid in this transaction of this session only. Internal to sign_identity and identity_proven.';

REVOKE ALL ON FUNCTION entitlements.identity_proof(entitlements.identity_keys, text, text, text) FROM PUBLIC;
