-- Trigger function of trg_task_history_client_info: stamps each new history row with who acted
-- and how (entitlements.client_info(): user, database login, auth method, token id), over
-- whatever the writer put in client_info, so no writer can forget it or make it up.
CREATE OR REPLACE FUNCTION flowable.record_history_client()
RETURNS trigger
LANGUAGE plpgsql
-- no SET clause: one would be applied and undone on every history row; every name is qualified
AS $$
BEGIN
    NEW.client_info := COALESCE(NEW.client_info, '{}'::jsonb) || entitlements.client_info();
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION flowable.record_history_client() IS
    'BEFORE INSERT trigger function on flowable.task_history: client_info gets entitlements.client_info() (user, login, auth, token_id, application), which wins over keys the writer gave.';

REVOKE ALL ON FUNCTION flowable.record_history_client() FROM PUBLIC;
