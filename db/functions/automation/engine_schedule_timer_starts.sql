-- Engine rule: the timer start events of a process follow its active version (BPMN 2.0, 10.5.2:
-- a new deployment replaces the timers of the previous one). The timer-start schedule triggers
-- of every version of the workflow key are removed, and one is made for each top-level timer
-- start event of the version p_workflow_id: trigger_type schedule, trigger_source timer-start,
-- configuration {nodeId, timer, dueAt, remaining}. fire_due_schedules starts a run at that start
-- event when dueAt comes, then moves dueAt to the cycle's next repetition or deactivates the
-- trigger. Called by flowable.bpmn_activate_version.
CREATE OR REPLACE FUNCTION automation.engine_schedule_timer_starts(p_workflow_id uuid)
RETURNS integer
LANGUAGE plpgsql
AS $$
-- internal: reached only from SECURITY DEFINER functions
DECLARE
    v_key varchar;
    v_made integer;
BEGIN
    SELECT workflow_key INTO v_key FROM automation.workflows WHERE id = p_workflow_id;
    DELETE FROM automation.workflow_triggers t
    USING automation.workflows w
    WHERE w.id = t.workflow_id AND w.workflow_key = v_key AND t.trigger_source = 'timer-start';
    INSERT INTO automation.workflow_triggers (workflow_id, trigger_type, trigger_source, configuration)
    SELECT p_workflow_id, 'schedule', 'timer-start',
           jsonb_strip_nulls(jsonb_build_object(
               'nodeId', n.node_id,
               'timer', n.configuration -> 'timer',
               'dueAt', automation.timer_next_due(n.configuration -> 'timer', clock_timestamp(), true),
               'remaining', substring(n.configuration #>> '{timer,cycle}' FROM '^R(\d+)/')::integer))
    FROM automation.workflow_nodes n
    WHERE n.workflow_id = p_workflow_id AND n.node_type = 'trigger' AND n.parent_node_id IS NULL AND n.is_enabled
      AND n.configuration ->> 'event' = 'timer';
    GET DIAGNOSTICS v_made = ROW_COUNT;
    RETURN v_made;
END;
$$;

COMMENT ON FUNCTION automation.engine_schedule_timer_starts(uuid) IS
    'Replaces the timer-start schedule triggers of a workflow key by those of the version p_workflow_id, one per top-level timer start event (nodeId, timer, first dueAt, remaining repetitions); returns how many.';

REVOKE ALL ON FUNCTION automation.engine_schedule_timer_starts(uuid) FROM PUBLIC;
