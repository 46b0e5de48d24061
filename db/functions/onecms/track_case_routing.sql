-- Trigger function: when a task of a run is created or moves to another queue, every case mapped
-- to that run records where it is now (department, phase) and appends the move to routing_history.
-- Attached by trg_workflow_tasks_case_routing and trg_workflow_tasks_case_routing_move.
CREATE OR REPLACE FUNCTION onecms.track_case_routing()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_department varchar;
BEGIN
    -- A task following its renamed queue (ON UPDATE CASCADE) moved nowhere. The foreign key keeps a
    -- task's queue in place, so its old name is gone when the queue itself was renamed (or, in the
    -- rare statement that moves a queue's tasks away and deletes it, which then records no step).
    IF TG_OP = 'UPDATE' AND NOT EXISTS (SELECT 1 FROM flowable.workflow_queues q WHERE q.queue_name = OLD.queue_name) THEN
        RETURN NULL;
    END IF;
    SELECT d.department_code INTO v_department
    FROM flowable.workflow_queues q
    LEFT JOIN entitlements.departments d ON d.department_id = q.department_id
    WHERE q.queue_name = NEW.queue_name;

    UPDATE onecms.case_workflow_mapping m
    SET current_department = v_department,
        current_phase = left(NEW.task_definition_key, 100),
        routing_history = COALESCE(m.routing_history, '[]'::jsonb) || pg_catalog.jsonb_build_array(pg_catalog.jsonb_strip_nulls(
            pg_catalog.jsonb_build_object(
                'at', pg_catalog.now(),
                'event', CASE WHEN TG_OP = 'INSERT' THEN 'task_created' ELSE 'queue_changed' END,
                'task_id', NEW.task_id,
                'from_queue', CASE WHEN TG_OP = 'UPDATE' THEN OLD.queue_name END,
                'queue', NEW.queue_name,
                'department', v_department,
                'phase', NEW.task_definition_key,
                'by', COALESCE(entitlements.current_user_id(), 'SYSTEM'))))
    WHERE m.process_instance_id = NEW.process_instance_id;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION onecms.track_case_routing() IS
    'AFTER INSERT / UPDATE OF queue_name trigger on flowable.workflow_tasks: sets current_department (department_code of the task''s queue) and current_phase (task_definition_key) of the run''s case mappings and appends {at, event, task_id, from_queue, queue, department, phase, by} to routing_history. A queue rename is no routing step.';

REVOKE ALL ON FUNCTION onecms.track_case_routing() FROM PUBLIC;
