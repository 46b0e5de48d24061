-- Trigger function of trigger_workflow_instance_status_times: the times that follow a run's
-- status, whoever changes it (the engine, pause/resume/cancel, a DBA by hand).
CREATE OR REPLACE FUNCTION automation.set_workflow_instance_status_times()
RETURNS trigger
LANGUAGE plpgsql
-- no SET clause: one would be applied and undone on every row; every name is qualified
AS $$
BEGIN
    IF NEW.status IN ('completed', 'failed', 'cancelled') THEN
        -- set once, when the run becomes terminal; never moved afterwards
        IF OLD.status IN ('completed', 'failed', 'cancelled') THEN
            NEW.completed_at := COALESCE(OLD.completed_at, NEW.completed_at, pg_catalog.clock_timestamp());
        ELSE
            NEW.completed_at := pg_catalog.clock_timestamp();
        END IF;
        IF NEW.status = 'completed' THEN
            NEW.progress := 100;
        END IF;
        NEW.paused_at := NULL;
    ELSE
        NEW.completed_at := NULL;
        IF NEW.status = 'paused' AND OLD.status <> 'paused' THEN
            NEW.paused_at := pg_catalog.clock_timestamp();
        ELSIF NEW.status <> 'paused' THEN
            NEW.paused_at := NULL;
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION automation.set_workflow_instance_status_times() IS
    'BEFORE UPDATE OF status trigger on automation.workflow_instances: completed_at is set once when the status becomes completed, failed or cancelled (progress becomes 100 on completed); paused_at is set when the run is paused and cleared when it leaves paused.';

REVOKE ALL ON FUNCTION automation.set_workflow_instance_status_times() FROM PUBLIC;
