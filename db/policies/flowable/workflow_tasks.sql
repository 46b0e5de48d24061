-- Who may read flowable.workflow_tasks: people see the tasks they hold, own (delegated),
-- are offered (as a candidate user, or through a candidate group they hold now), or that wait
-- unclaimed in a queue one of their valid roles works; roles with permissions.view_all or
-- supervise see every task of their department's queues. Writes go through the task service.
GRANT SELECT ON flowable.workflow_tasks TO pgwf_app;
-- the reporting role reads what the reporting views need, not the payload (task_data, form_data, outcome_reason and metadata)
GRANT SELECT (task_id, process_instance_id, task_definition_key, task_name, task_type, queue_name, assignee_id, candidate_groups, candidate_users, priority, status, form_key, created_at, claimed_at, claimed_by, completed_at, completed_by, due_date, follow_up_date, escalation_level, escalated_at, outcome) ON flowable.workflow_tasks TO pgwf_reporting;

ALTER TABLE flowable.workflow_tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE flowable.workflow_tasks FORCE ROW LEVEL SECURITY;

-- The task service and engine functions run as pgwf_owner (SECURITY DEFINER) and see every row.
CREATE POLICY engine_all ON flowable.workflow_tasks
    TO pgwf_owner
    USING (true)
    WITH CHECK (true);

CREATE POLICY task_access_policy ON flowable.workflow_tasks
    FOR SELECT
    USING (
        assignee_id = (SELECT entitlements.current_active_user_id())
        OR claimed_by = (SELECT entitlements.current_active_user_id())
        OR (assignee_id IS NULL
            AND (candidate_users @> ARRAY[(SELECT entitlements.current_active_user_id())::text]
                 OR candidate_groups && (SELECT entitlements.user_role_codes(entitlements.current_active_user_id()))
                 OR queue_name = ANY ((SELECT entitlements.visible_queue_names())::text[])))
        OR queue_name = ANY ((SELECT entitlements.supervised_queue_names())::text[])
    );

COMMENT ON POLICY task_access_policy ON flowable.workflow_tasks IS
    'An active person sees a task they hold (assignee_id), own while delegated (claimed_by), are offered while unclaimed (candidate_users, or candidate_groups naming a role they hold now), an unclaimed task in a queue a role they hold now works (entitlements.visible_queue_names: valid_from <= now() < valid_until, active role and user), or any task in their department''s queues when a role they hold has view_all or supervise (entitlements.supervised_queue_names). A colleague''s claimed task is not shown to a plain queue member. No identity: no rows, no error.';
COMMENT ON POLICY engine_all ON flowable.workflow_tasks IS
    'The owner role (SECURITY DEFINER task service and engine functions) sees and changes every task.';

-- Reporting tools read every row: the reporting views run with the reader's rights (security_invoker).
CREATE POLICY reporting_read ON flowable.workflow_tasks
    FOR SELECT
    TO pgwf_reporting
    USING (true);
COMMENT ON POLICY reporting_read ON flowable.workflow_tasks IS
    'pgwf_reporting reads every row (the reporting views run with the reader''s rights, so reports see all figures while a person sees only theirs).';
