-- The identity a task service function acts as: PW401 when none is set, PW403 when it
-- names no active user or one holding no role valid now (such a user can do nothing,
-- whatever they still hold).
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
    IF NOT entitlements.has_valid_role(v_me) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('%s: user %s holds no role valid now', p_action, v_me),
            HINT = 'A grant counts only between its valid_from and valid_until, for an active role.';
    END IF;
    RETURN v_me;
END;
$$;

COMMENT ON FUNCTION flowable.acting_user(text) IS
    'Returns app.current_user_id; raises PW401 naming the action when it is unset or empty, PW403 when it names no active entitlements.users row or a user holding no role valid now (entitlements.has_valid_role). Internal to the task service.';

REVOKE ALL ON FUNCTION flowable.acting_user(text) FROM PUBLIC;
