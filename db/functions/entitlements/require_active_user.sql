-- The one rule for who may act: the believed identity (entitlements.current_user_id) of an
-- existing, active user. PW401 when there is none, PW403 naming an unknown or deactivated
-- user. Called at the top of every function that acts for a person outside the task service
-- (which adds its own valid-role rule in flowable.acting_user).
CREATE OR REPLACE FUNCTION entitlements.require_active_user(p_action text)
RETURNS varchar
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := entitlements.current_user_id();
    v_active boolean;
BEGIN
    IF v_me IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW401',
            MESSAGE = format('%s needs an identity (app.current_user_id)', p_action),
            HINT = 'Call entitlements.authenticate(token) in the transaction (a trusted login may set app.current_user_id).';
    END IF;
    SELECT u.is_active INTO v_active FROM entitlements.users u WHERE u.user_id = v_me;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403', MESSAGE = format('%s: user %s does not exist', p_action, v_me);
    END IF;
    IF v_active IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403', MESSAGE = format('%s: user %s is inactive', p_action, v_me);
    END IF;
    RETURN v_me;
END;
$$;

COMMENT ON FUNCTION entitlements.require_active_user(text) IS
    'The current identity when it names an existing active user; PW401 (no identity) or PW403 (unknown or inactive user) naming the action otherwise. Internal to the functions that act for a person.';

REVOKE ALL ON FUNCTION entitlements.require_active_user(text) FROM PUBLIC;
