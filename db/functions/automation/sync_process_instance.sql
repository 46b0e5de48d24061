-- Trigger function of trigger_sync_process_instance: after a run's status or current step
-- changes, its flowable.process_instances row (same id, as text) follows, through
-- map_instance_status.
CREATE OR REPLACE FUNCTION automation.sync_process_instance()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE flowable.process_instances pi
    SET status = automation.map_instance_status(NEW.status),
        completed_at = NEW.completed_at,
        suspended_at = NEW.paused_at,
        current_activity = NEW.current_step
    WHERE pi.process_instance_id = NEW.id::text
      AND (pi.status IS DISTINCT FROM automation.map_instance_status(NEW.status)
           OR pi.completed_at IS DISTINCT FROM NEW.completed_at
           OR pi.suspended_at IS DISTINCT FROM NEW.paused_at
           OR pi.current_activity IS DISTINCT FROM NEW.current_step);
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.sync_process_instance() IS
    'AFTER UPDATE trigger on automation.workflow_instances: copies status (mapped by map_instance_status), completed_at, paused_at (as suspended_at) and current_step (as current_activity) to the process instance with the same id.';

REVOKE ALL ON FUNCTION automation.sync_process_instance() FROM PUBLIC;
