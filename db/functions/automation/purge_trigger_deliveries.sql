-- Retention of the trigger delivery log: deletes refused deliveries older than
-- pgwf.refused_delivery_retention_days (default 7) with their refusal counters, and accepted
-- ones older than pgwf.delivery_retention_days (default 90; an idempotency key is remembered
-- that long). A duty of run_maintenance.
CREATE OR REPLACE FUNCTION automation.purge_trigger_deliveries()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_refused_before timestamptz := now() - make_interval(days =>
        automation.setting_integer('pgwf.refused_delivery_retention_days', 7, 1, 3650));
    v_accepted_before timestamptz := now() - make_interval(days =>
        automation.setting_integer('pgwf.delivery_retention_days', 90, 1, 36500));
    v_deleted integer;
BEGIN
    WITH gone AS (
        DELETE FROM automation.workflow_trigger_deliveries d
        WHERE d.received_at < v_refused_before
          AND (NOT d.accepted OR d.received_at < v_accepted_before)
        RETURNING 1
    )
    SELECT count(*)::integer INTO v_deleted FROM gone;
    DELETE FROM automation.webhook_refusals r WHERE r.window_start < v_refused_before;
    RETURN v_deleted;
END;
$$;

COMMENT ON FUNCTION automation.purge_trigger_deliveries() IS
    'Deletes refused trigger deliveries (and webhook_refusals counters) older than pgwf.refused_delivery_retention_days (default 7) and accepted ones older than pgwf.delivery_retention_days (default 90); returns the deliveries deleted. A duty of run_maintenance.';

REVOKE ALL ON FUNCTION automation.purge_trigger_deliveries() FROM PUBLIC;
