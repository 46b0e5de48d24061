-- Undo pgwf 0002: drop the case-routing tables (dependents first).
SET LOCAL ROLE pgwf_owner;
DROP TABLE IF EXISTS onecms.case_workflow_mapping;
DROP TABLE IF EXISTS flowable.workflow_variables;
DROP TABLE IF EXISTS flowable.task_history;
DROP TABLE IF EXISTS flowable.workflow_tasks;
DROP TABLE IF EXISTS flowable.queue_assignments;
DROP TABLE IF EXISTS flowable.workflow_queues;
DROP TABLE IF EXISTS flowable.process_instances;
DROP TABLE IF EXISTS flowable.workflow_definitions;
DROP TABLE IF EXISTS entitlements.user_workflow_roles;
DROP TABLE IF EXISTS entitlements.users;
DROP TABLE IF EXISTS entitlements.workflow_roles;
DROP TABLE IF EXISTS entitlements.departments;
RESET ROLE;
