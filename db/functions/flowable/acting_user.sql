-- The identity a task service function acts as, or PW401 when none is set.
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
    RETURN v_me;
END;
$$;

COMMENT ON FUNCTION flowable.acting_user(text) IS
    'Returns app.current_user_id, or raises PW401 naming the action when it is unset or empty. Internal to the task service.';

REVOKE ALL ON FUNCTION flowable.acting_user(text) FROM PUBLIC;
