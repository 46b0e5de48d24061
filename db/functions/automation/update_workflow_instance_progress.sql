-- Trigger function of trigger_update_workflow_progress: after a step (workflow_executions row)
-- is inserted or changes status, recompute the run's progress and current_step
-- (automation.refresh_instance_progress). It never decides that a run is complete: the engine
-- does (and completed_at follows status). While engine_advance is writing a batch of steps it
-- sets pgwf.engine_batch for its run and refreshes once at the end instead.
CREATE OR REPLACE FUNCTION automation.update_workflow_instance_progress()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- a step moving between open states (a worker leasing it, a lease or retry putting it back)
    -- changes neither progress nor current_step; skipping it also keeps claim_steps from
    -- locking the run row after the step row (the engine locks run first, then step)
    IF TG_OP = 'UPDATE' AND OLD.status IN ('pending', 'running', 'waiting_approval')
       AND NEW.status IN ('pending', 'running', 'waiting_approval') THEN
        RETURN NULL;
    END IF;
    IF current_setting('pgwf.engine_batch', true) IS DISTINCT FROM NEW.instance_id::text THEN
        PERFORM automation.refresh_instance_progress(NEW.instance_id);
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.update_workflow_instance_progress() IS
    'AFTER INSERT OR UPDATE OF status trigger on automation.workflow_executions: refreshes the run''s progress and current_step (automation.refresh_instance_progress), except while engine_advance batches that run''s steps (it refreshes once at its end). Never touches status or completed_at.';

REVOKE ALL ON FUNCTION automation.update_workflow_instance_progress() FROM PUBLIC;
