-- The identity a task service function acts as: PW401 when none is set, PW403 when it
-- names no active user (a deactivated user can do nothing, whatever they still hold).
-- Called at the top of every person-facing task function.
CREATE OR REPLACE FUNCTION flowable.acting_user(p_action text)
RETURNS varchar
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := entitlements.current_user_id();
BEGIN
    IF v_me IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW401',
            MESSAGE = format('%s: no identity: app.current_user_id is not set', p_action),
            HINT = 'Set app.current_user_id for the transaction before calling the task service.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM entitlements.users u WHERE u.user_id = v_me AND u.is_active IS TRUE) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('%s: user %s is not an active user', p_action, v_me);
    END IF;
    RETURN v_me;
END;
$$;

COMMENT ON FUNCTION flowable.acting_user(text) IS
    'Returns app.current_user_id; raises PW401 naming the action when it is unset or empty, PW403 when it names no active entitlements.users row. Internal to the task service.';

REVOKE ALL ON FUNCTION flowable.acting_user(text) FROM PUBLIC;
