-- Engine rule: the child runs of call activities stop with their caller. Each one still open
-- (pending, running, paused) is cancelled with the reason, recorded in its engine_state.events
-- as done by SYSTEM, and its own open work, child runs included, is closed
-- (engine_close_open_work). Called by engine_close_steps (a call step cancelled by an
-- interrupting event or a terminate end) and engine_close_open_work (the caller stopped).
CREATE OR REPLACE FUNCTION automation.engine_cancel_child_runs(p_child_ids uuid[], p_reason text)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_child record;
BEGIN
    -- a loop over the few runs one caller has called, in id order (the lock order among siblings)
    FOR v_child IN
        SELECT wi.id FROM automation.workflow_instances wi
        WHERE wi.id = ANY (p_child_ids) AND wi.status IN ('pending', 'running', 'paused')
        ORDER BY wi.id
        FOR UPDATE
    LOOP
        UPDATE automation.workflow_instances
        SET status = 'cancelled',
            error_details = p_reason,
            execution_metrics = automation.engine_run_metrics(v_child.id),
            engine_state = jsonb_set(engine_state, '{events}',
                COALESCE(engine_state -> 'events', '[]'::jsonb)
                || jsonb_build_array(jsonb_build_object('action', 'cancel', 'by', 'SYSTEM', 'at', clock_timestamp(), 'reason', p_reason)))
        WHERE id = v_child.id;
        PERFORM automation.engine_close_open_work(v_child.id, p_reason);
    END LOOP;
END;
$$;

COMMENT ON FUNCTION automation.engine_cancel_child_runs(uuid[], text) IS
    'Cancels the open runs among p_child_ids (child runs of call activities) with the reason, by SYSTEM, closing their open work and their own child runs.';

REVOKE ALL ON FUNCTION automation.engine_cancel_child_runs(uuid[], text) FROM PUBLIC;
