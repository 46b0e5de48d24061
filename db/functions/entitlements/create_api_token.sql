-- Makes a bearer token for a user of the HTTP API and returns it once; only
-- its SHA-256 hash is stored. Called by `pgwf token create` (a DBA login).
CREATE OR REPLACE FUNCTION entitlements.create_api_token(
    p_user_id VARCHAR(50),
    p_valid_for INTERVAL DEFAULT INTERVAL '90 days',
    p_description TEXT DEFAULT NULL
) RETURNS TABLE (
    token_id BIGINT,
    token TEXT,
    token_prefix VARCHAR(16),
    expires_at TIMESTAMPTZ
)
LANGUAGE plpgsql
VOLATILE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_active BOOLEAN;
    v_token TEXT;
BEGIN
    IF p_user_id IS NULL OR btrim(p_user_id) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = 'create_api_token: p_user_id is required';
    END IF;
    IF p_valid_for IS NULL OR p_valid_for <= INTERVAL '0' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('create_api_token: p_valid_for must be a positive interval, not %s',
                             coalesce(p_valid_for::text, 'NULL'));
    END IF;

    SELECT u.is_active INTO v_active FROM entitlements.users u WHERE u.user_id = p_user_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('user %s does not exist', p_user_id),
            HINT = 'Create the user first (pgwf user create).';
    END IF;
    IF v_active IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('user %s is inactive; an inactive user gets no token', p_user_id);
    END IF;

    -- gen_random_uuid() draws from the server's strong random source:
    -- two version-4 UUIDs give 244 random bits.
    v_token := 'pgwf_' || replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');

    RETURN QUERY
    INSERT INTO entitlements.api_tokens AS t
        (user_id, token_hash, token_prefix, description, created_by, expires_at)
    VALUES (p_user_id,
            encode(sha256(convert_to(v_token, 'UTF8')), 'hex'),
            left(v_token, 12),
            p_description,
            session_user,
            clock_timestamp() + p_valid_for)
    RETURNING t.token_id, v_token, t.token_prefix, t.expires_at;
END;
$$;

COMMENT ON FUNCTION entitlements.create_api_token(VARCHAR, INTERVAL, TEXT) IS 'Makes a bearer token for an active user, valid for p_valid_for, and returns it once (only its SHA-256 hash is kept). PW404 for an unknown user, PW409 for an inactive one, PW400 for a missing user or a non-positive interval. For DBAs (pgwf token create); not granted to the group roles.';

REVOKE ALL ON FUNCTION entitlements.create_api_token(VARCHAR, INTERVAL, TEXT) FROM PUBLIC;
