-- Retention of idempotency keys: deletes those first used more than pgwf.idempotency_key_hours
-- (default 24) ago, after which a repeat of the call is a new call. A duty of run_maintenance.
CREATE OR REPLACE FUNCTION automation.purge_idempotency_keys()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_purged integer;
BEGIN
    WITH gone AS (
        DELETE FROM automation.idempotency_keys k
        WHERE k.created_at < pg_catalog.now() - pg_catalog.make_interval(hours =>
            automation.setting_integer('pgwf.idempotency_key_hours', 24, 1, 8760))
        RETURNING 1
    )
    SELECT pg_catalog.count(*)::integer INTO v_purged FROM gone;
    RETURN v_purged;
END;
$$;

COMMENT ON FUNCTION automation.purge_idempotency_keys() IS
    'Deletes idempotency keys first used more than pgwf.idempotency_key_hours (default 24, 1 to 8760) ago; returns how many. A duty of run_maintenance.';

REVOKE ALL ON FUNCTION automation.purge_idempotency_keys() FROM PUBLIC;
