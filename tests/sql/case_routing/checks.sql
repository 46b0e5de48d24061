-- Every CHECK constraint of the case-routing tables refuses a bad value with SQLSTATE 23514
-- and names itself; the spec's value lists accept every listed value.
BEGIN;
SELECT plan(35);

SELECT tests.cr_world();
SELECT tests.cr_assignment('Q_CLAIMS', 'CLAIMS_AGENT');
SELECT tests.cr_task('t1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
INSERT INTO onecms.case_workflow_mapping (case_id, process_instance_id, workflow_type, initiated_by) VALUES (7, 'pi-t1', 'test_process', 'alice');

SELECT throws_ok(
    $$UPDATE entitlements.departments SET parent_dept_id = department_id WHERE department_code = 'CLAIMS'$$,
    '23514', 'new row for relation "departments" violates check constraint "chk_departments_not_own_parent"',
    'a department cannot be its own parent (chk_departments_not_own_parent)');
SELECT throws_ok(
    $$INSERT INTO entitlements.users (user_id, username) VALUES ('  ', 'blank')$$,
    '23514', 'new row for relation "users" violates check constraint "chk_users_user_id_not_blank"',
    'a blank user_id is refused (chk_users_user_id_not_blank)');
SELECT throws_ok(
    $$UPDATE entitlements.workflow_roles SET role_type = 'GLOBAL' WHERE role_code = 'CLAIMS_AGENT'$$,
    '23514', 'new row for relation "workflow_roles" violates check constraint "chk_workflow_roles_role_type"',
    'a role_type outside SYSTEM/DEPARTMENT/CUSTOM is refused (chk_workflow_roles_role_type)');
SELECT throws_ok(
    $$UPDATE entitlements.user_workflow_roles SET valid_until = valid_from - interval '1 second' WHERE user_id = 'alice'$$,
    '23514', 'new row for relation "user_workflow_roles" violates check constraint "chk_user_workflow_roles_validity"',
    'a grant that ends before it starts is refused (chk_user_workflow_roles_validity)');
SELECT throws_ok(
    $$UPDATE flowable.workflow_definitions SET process_version = 0$$,
    '23514', 'new row for relation "workflow_definitions" violates check constraint "chk_workflow_definitions_version"',
    'a process_version below 1 is refused (chk_workflow_definitions_version)');
SELECT throws_ok(
    $$UPDATE flowable.process_instances SET status = 'RUNNING'$$,
    '23514', 'new row for relation "process_instances" violates check constraint "chk_status"',
    'a process status outside the spec''s list is refused (chk_status)');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET queue_type = 'FAST' WHERE queue_name = 'Q_CLAIMS'$$,
    '23514', 'new row for relation "workflow_queues" violates check constraint "chk_queue_type"',
    'a queue_type outside the spec''s list is refused (chk_queue_type)');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET max_capacity = -1 WHERE queue_name = 'Q_CLAIMS'$$,
    '23514', 'new row for relation "workflow_queues" violates check constraint "chk_workflow_queues_max_capacity"',
    'a negative max_capacity is refused (chk_workflow_queues_max_capacity)');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET current_load = -1 WHERE queue_name = 'Q_OTHER'$$,
    '23514', 'new row for relation "workflow_queues" violates check constraint "chk_workflow_queues_current_load"',
    'a negative current_load is refused (chk_workflow_queues_current_load)');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET sla_minutes = 0 WHERE queue_name = 'Q_CLAIMS'$$,
    '23514', 'new row for relation "workflow_queues" violates check constraint "chk_workflow_queues_sla_minutes"',
    'an sla_minutes of zero is refused (chk_workflow_queues_sla_minutes)');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET escalation_config = '[]' WHERE queue_name = 'Q_CLAIMS'$$,
    '23514', 'new row for relation "workflow_queues" violates check constraint "chk_workflow_queues_escalation_config"',
    'an escalation_config that is not a JSON object is refused (chk_workflow_queues_escalation_config)');
SELECT throws_ok(
    $$UPDATE flowable.workflow_queues SET routing_rules = '"Q_OTHER"' WHERE queue_name = 'Q_CLAIMS'$$,
    '23514', 'new row for relation "workflow_queues" violates check constraint "chk_workflow_queues_routing_rules"',
    'routing_rules that are not a JSON object are refused (chk_workflow_queues_routing_rules)');
SELECT throws_ok(
    $$UPDATE flowable.queue_assignments SET assignment_strategy = 'RANDOM'$$,
    '23514', 'new row for relation "queue_assignments" violates check constraint "chk_queue_assignments_strategy"',
    'an unknown assignment_strategy is refused (chk_queue_assignments_strategy)');
SELECT throws_ok(
    $$UPDATE flowable.queue_assignments SET max_tasks_per_user = 0$$,
    '23514', 'new row for relation "queue_assignments" violates check constraint "chk_queue_assignments_max_tasks"',
    'a max_tasks_per_user of zero is refused (chk_queue_assignments_max_tasks)');
SELECT throws_ok(
    $$UPDATE flowable.workflow_tasks SET status = 'DONE'$$,
    '23514', 'new row for relation "workflow_tasks" violates check constraint "chk_task_status"',
    'a task status outside the spec''s list is refused (chk_task_status)');
SELECT throws_ok(
    $$UPDATE flowable.workflow_tasks SET escalation_level = -1$$,
    '23514', 'new row for relation "workflow_tasks" violates check constraint "chk_workflow_tasks_escalation_level"',
    'a negative escalation_level is refused (chk_workflow_tasks_escalation_level)');
SELECT throws_ok(
    $$UPDATE flowable.workflow_tasks SET status = 'CLAIMED', assignee_id = NULL$$,
    '23514', 'new row for relation "workflow_tasks" violates check constraint "chk_workflow_tasks_held_has_assignee"',
    'a CLAIMED task without an assignee is refused (chk_workflow_tasks_held_has_assignee)');
-- the row is checked in its month's partition (task_history_YYYY_MM), which the message names
SELECT throws_like(
    $$INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by) VALUES ('t1', 'pi-t1', 'VIEW', 'alice')$$,
    'new row for relation "task_history_%" violates check constraint "chk_action_type"',
    'a history action_type outside the spec''s list is refused (chk_action_type)');
SELECT throws_ok(
    $$INSERT INTO flowable.workflow_variables (process_instance_id, variable_name, variable_type) VALUES ('pi-t1', 'x', 'FLOAT')$$,
    '23514', 'new row for relation "workflow_variables" violates check constraint "chk_variable_type"',
    'a variable_type outside the spec''s list is refused (chk_variable_type)');
SELECT throws_ok(
    $$INSERT INTO flowable.workflow_variables (variable_name, variable_type) VALUES ('x', 'STRING')$$,
    '23514', 'new row for relation "workflow_variables" violates check constraint "chk_variable_scope"',
    'a variable with neither process nor task is refused (chk_variable_scope)');
SELECT throws_ok(
    $$UPDATE onecms.case_workflow_mapping SET routing_history = '{}'$$,
    '23514', 'new row for relation "case_workflow_mapping" violates check constraint "chk_case_workflow_mapping_routing_history"',
    'a routing_history that is not a JSON array is refused (chk_case_workflow_mapping_routing_history)');

-- one assertion per value: an UPDATE ... FROM unnest(...) of one row would try only one of them
SELECT lives_ok(format($$UPDATE flowable.workflow_tasks SET status = %L, assignee_id = 'alice'$$, s),
    format('task status %s of the spec is accepted', s))
FROM unnest(ARRAY['OPEN', 'CLAIMED', 'COMPLETED', 'CANCELLED', 'DELEGATED', 'ESCALATED']) AS s;
SELECT lives_ok($$
    INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by)
    SELECT 't1', 'pi-t1', a, 'alice'
    FROM unnest(ARRAY['CREATE', 'CLAIM', 'UNCLAIM', 'COMPLETE', 'DELEGATE', 'ESCALATE', 'UPDATE', 'CANCEL', 'REASSIGN', 'COMMENT']) AS a$$,
    'every history action_type of the spec is accepted');
SELECT lives_ok($$
    INSERT INTO flowable.workflow_variables (process_instance_id, variable_name, variable_type)
    SELECT 'pi-t1', 'v_' || v, v
    FROM unnest(ARRAY['STRING', 'INTEGER', 'BOOLEAN', 'DATE', 'JSON', 'BINARY']) AS v$$,
    'every variable_type of the spec is accepted');
SELECT lives_ok($$
    INSERT INTO flowable.workflow_queues (queue_name, queue_type)
    SELECT 'Q_' || t, t FROM unnest(ARRAY['STANDARD', 'PRIORITY', 'SPECIALIZED', 'OVERFLOW']) AS t$$,
    'every queue_type of the spec is accepted');
SELECT lives_ok(format($$UPDATE flowable.process_instances SET status = %L$$, s),
    format('process status %s of the spec is accepted', s))
FROM unnest(ARRAY['ACTIVE', 'COMPLETED', 'SUSPENDED', 'TERMINATED', 'ERROR']) AS s;

SELECT * FROM finish();
ROLLBACK;
