-- Recomputes one run's progress and current_step from its steps (the rule of
-- trigger_update_workflow_progress). Called by that trigger, and once at the end of each
-- engine_advance, which batches the many step rows it writes in one pass.
CREATE OR REPLACE FUNCTION automation.refresh_instance_progress(p_instance_id uuid)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions (it runs as their owner
-- with their search_path), so it needs no definer rights or search_path switch of its own
DECLARE
    v_workflow_id uuid;
    v_status varchar;
    v_done integer;
    v_open integer;
    v_counted integer;
    v_remaining integer;
    v_progress integer;
    v_current varchar;
BEGIN
    SELECT wi.workflow_id, wi.status INTO v_workflow_id, v_status
    FROM automation.workflow_instances wi
    WHERE wi.id = p_instance_id;

    -- A completed run is at 100 and a stopped one keeps what it had.
    IF v_status IS NULL OR v_status IN ('completed', 'failed', 'cancelled') THEN
        RETURN;
    END IF;

    -- Steps taken so far: skipped ones are on branches the run does not take, so they
    -- count neither as done nor as steps of the run.
    SELECT count(*) FILTER (WHERE we.status = 'completed'),
           count(*) FILTER (WHERE we.status IN ('pending', 'running', 'waiting_approval')),
           count(*) FILTER (WHERE we.status <> 'skipped')
    INTO v_done, v_open, v_counted
    FROM automation.workflow_executions we
    WHERE we.instance_id = p_instance_id;

    -- Steps still ahead: the nodes reachable from the open steps that the run has not
    -- visited (or skipped) yet.
    WITH RECURSIVE ahead(node_id) AS (
        SELECT e.target_node_id
        FROM automation.workflow_executions we
        JOIN automation.workflow_edges e
          ON e.workflow_id = v_workflow_id AND e.source_node_id = we.node_id AND e.is_enabled
        WHERE we.instance_id = p_instance_id
          AND we.status IN ('pending', 'running', 'waiting_approval')
        UNION
        SELECT e.target_node_id
        FROM ahead a
        JOIN automation.workflow_edges e
          ON e.workflow_id = v_workflow_id AND e.source_node_id = a.node_id AND e.is_enabled
    )
    SELECT count(*) INTO v_remaining
    FROM ahead a
    WHERE NOT EXISTS (
        SELECT 1 FROM automation.workflow_executions we
        WHERE we.instance_id = p_instance_id AND we.node_id = a.node_id
    );

    IF v_counted + v_remaining = 0 THEN
        v_progress := 0;
    ELSE
        -- 100 belongs to completion, which the engine declares.
        v_progress := LEAST(99, floor(100.0 * v_done / (v_counted + v_remaining))::integer);
    END IF;

    -- The step the run is at: the latest open one, else the latest finished one.
    SELECT we.node_id INTO v_current
    FROM automation.workflow_executions we
    WHERE we.instance_id = p_instance_id AND we.status <> 'skipped'
    ORDER BY (we.status IN ('pending', 'running', 'waiting_approval')) DESC,
             we.created_at DESC, COALESCE(we.started_at, we.created_at) DESC, we.id DESC
    LIMIT 1;

    UPDATE automation.workflow_instances wi
    SET progress = v_progress,
        current_step = COALESCE(v_current, wi.current_step)
    WHERE wi.id = p_instance_id
      AND (wi.progress IS DISTINCT FROM v_progress OR wi.current_step IS DISTINCT FROM COALESCE(v_current, wi.current_step));

END;
$$;

COMMENT ON FUNCTION automation.refresh_instance_progress(uuid) IS
    'Sets a running run''s progress = completed steps / (steps taken, skipped excluded, + unvisited nodes reachable from the open steps), at most 99 until the engine completes the run, and current_step = the latest open step, else the latest finished one. Never touches status or completed_at.';

REVOKE ALL ON FUNCTION automation.refresh_instance_progress(uuid) FROM PUBLIC;
