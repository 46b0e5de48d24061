-- The first half of an idempotent call: remembers (user, key) for this call, or finds the first
-- call's result. Called first thing by the task actions, approve_step/reject_step,
-- start_workflow and start_process when the caller gave an idempotency key; the call then
-- does its work and idempotency_finish records its result.
CREATE OR REPLACE FUNCTION automation.idempotency_begin(p_key varchar, p_action text, p_arguments jsonb)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar := entitlements.current_user_id();
    v_hash bytea := pg_catalog.sha256(pg_catalog.convert_to(p_arguments::text, 'UTF8'));
    v_expired_before timestamptz := pg_catalog.now() - pg_catalog.make_interval(hours =>
        automation.setting_integer('pgwf.idempotency_key_hours', 24, 1, 8760));
    v_row automation.idempotency_keys;
BEGIN
    -- no key: an ordinary call; no identity: the call itself refuses with PW401
    IF p_key IS NULL OR v_user IS NULL THEN
        RETURN NULL;
    END IF;
    IF pg_catalog.char_length(p_key) NOT BETWEEN 1 AND 255 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('%s: p_idempotency_key must be 1 to 255 characters (got %s)', p_action, pg_catalog.char_length(p_key));
    END IF;
    -- a key past its time is forgotten even before run_maintenance purges it
    DELETE FROM automation.idempotency_keys k
    WHERE k.user_id = v_user AND k.idempotency_key = p_key AND k.created_at < v_expired_before;
    -- a concurrent first call with the same key makes this INSERT wait for its transaction:
    -- committed, its result is read below; rolled back, this call is the first
    INSERT INTO automation.idempotency_keys (user_id, idempotency_key, action, request_hash)
    VALUES (v_user, p_key, p_action, v_hash)
    ON CONFLICT ON CONSTRAINT idempotency_keys_pkey DO NOTHING;
    IF FOUND THEN
        RETURN NULL;
    END IF;
    SELECT * INTO v_row FROM automation.idempotency_keys k WHERE k.user_id = v_user AND k.idempotency_key = p_key;
    IF v_row.action IS DISTINCT FROM p_action OR v_row.request_hash IS DISTINCT FROM v_hash THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('%s: idempotency key %s of user %s was first used for %s with other arguments',
                             p_action, p_key, v_user, v_row.action),
            DETAIL = format('The key was first used at %s; a repeat must be the same call.', v_row.created_at),
            HINT = 'Use a new idempotency key for a new call.';
    END IF;
    IF v_row.result IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('%s: idempotency key %s is already in use by this transaction', p_action, p_key);
    END IF;
    RETURN v_row.result;
END;
$$;

COMMENT ON FUNCTION automation.idempotency_begin(varchar, text, jsonb) IS
    'Starts an idempotent call of p_action by the current user with key p_key and arguments p_arguments: NULL when the call is to be done (no key, or its first use, or the key expired after pgwf.idempotency_key_hours), else the first call''s result (JSON). A concurrent first call with the key is waited for. PW422 the key was first used for another action or other arguments, PW400 key not 1 to 255 characters. Internal to the task and run functions.';

REVOKE ALL ON FUNCTION automation.idempotency_begin(varchar, text, jsonb) FROM PUBLIC;
