-- A new task tells the case mappings of its run where the case is now.
CREATE TRIGGER trg_workflow_tasks_case_routing
    AFTER INSERT ON flowable.workflow_tasks
    FOR EACH ROW EXECUTE FUNCTION onecms.track_case_routing();

COMMENT ON TRIGGER trg_workflow_tasks_case_routing ON flowable.workflow_tasks IS
    'Keeps onecms.case_workflow_mapping current (department, phase, routing_history) when a task is created.';
