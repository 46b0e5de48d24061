-- Demo work: the case-intake process, three cases routed through it, and the
-- open tasks people see in their inboxes. The task service has no function
-- that opens a task outside a running process model yet, so the demo writes
-- these rows as the DBA; the queue-load triggers keep current_load right.
INSERT INTO flowable.workflow_definitions (process_key, process_name, process_version, business_app,
                                          deployment_id, deployed_at, deployed_by, is_active, sla_config)
VALUES ('case_intake', 'Case intake and legal review', 1, 'onecms', 'demo-deployment-1', now(), 'demo',
        true, '{"defaultSlaMinutes": 1440}')
ON CONFLICT (process_key, process_version) DO NOTHING;

INSERT INTO flowable.process_instances (process_instance_id, workflow_id, case_id, business_key, started_by,
                                        status, current_activity, sla_due_date, priority)
SELECT v.pid, d.workflow_id, v.case_id, v.business_key, 'demo', 'ACTIVE', v.activity,
       now() + INTERVAL '1 day', v.priority
  FROM (VALUES ('demo-case-1001', 1001, 'CASE-1001', 'intake_review', 80),
               ('demo-case-1002', 1002, 'CASE-1002', 'intake_review', 50),
               ('demo-case-1003', 1003, 'CASE-1003', 'legal_review', 60))
       AS v (pid, case_id, business_key, activity, priority)
  JOIN flowable.workflow_definitions d ON d.process_key = 'case_intake' AND d.process_version = 1
ON CONFLICT (process_instance_id) DO NOTHING;

INSERT INTO onecms.case_workflow_mapping (case_id, process_instance_id, workflow_type, initiated_by,
                                          current_department, current_phase, expected_completion)
SELECT p.case_id, p.process_instance_id, 'case_intake', 'demo',
       CASE WHEN p.current_activity = 'legal_review' THEN 'LEGAL' ELSE 'INTAKE' END,
       p.current_activity, now() + INTERVAL '2 days'
  FROM flowable.process_instances p
 WHERE p.process_instance_id LIKE 'demo-case-%'
ON CONFLICT (case_id, process_instance_id) DO NOTHING;

INSERT INTO flowable.workflow_tasks (task_id, process_instance_id, task_definition_key, task_name,
                                     queue_name, candidate_groups, priority, status, due_date, task_data)
VALUES ('demo-task-1', 'demo-case-1001', 'intake_review', 'Review new case CASE-1001', 'intake',
        ARRAY['INTAKE_ANALYST'], 80, 'OPEN', now() + INTERVAL '4 hours', '{"case": "CASE-1001"}'),
       ('demo-task-2', 'demo-case-1002', 'intake_review', 'Review new case CASE-1002', 'intake',
        ARRAY['INTAKE_ANALYST'], 50, 'OPEN', now() + INTERVAL '4 hours', '{"case": "CASE-1002"}'),
       ('demo-task-3', 'demo-case-1003', 'legal_review', 'Legal review of CASE-1003', 'legal_review',
        ARRAY['LEGAL_REVIEWER'], 60, 'OPEN', now() + INTERVAL '1 day', '{"case": "CASE-1003"}')
ON CONFLICT (task_id) DO NOTHING;

INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, new_status, comments)
SELECT t.task_id, t.process_instance_id, 'CREATE', 'demo', 'OPEN', 'demo data'
  FROM flowable.workflow_tasks t
 WHERE t.task_id LIKE 'demo-task-%'
   AND NOT EXISTS (SELECT 1 FROM flowable.task_history h
                    WHERE h.task_id = t.task_id AND h.action_type = 'CREATE');
