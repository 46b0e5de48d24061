-- Demo organisation for the OneCMS case-routing process
-- (examples/OneCMS_Nextgen_WF.bpmn20.xml): the departments, roles, queues and
-- people its user tasks name. Idempotent: rows that exist are left alone.
-- Candidate groups in the BPMN are these role codes; pgwf:queue names these queues.
INSERT INTO entitlements.departments (department_code, department_name, description)
VALUES ('INTAKE', 'Case Intake', 'First look at every new case'),
       ('LEGAL', 'Legal Review', 'Reviews cases with legal exposure'),
       ('COMPLIANCE', 'Compliance', 'Regulatory and policy review of high-risk cases'),
       ('CASEWORK', 'Case Handling', 'Works cases from triage to closure'),
       ('SUPERVISION', 'Case Supervision', 'Approves case outcomes')
ON CONFLICT (department_code) DO NOTHING;

INSERT INTO entitlements.users (user_id, username, email, first_name, last_name, department_id)
SELECT v.user_id, v.user_id, v.user_id || '@example.org', v.first_name, v.last_name, d.department_id
  FROM (VALUES ('alice', 'Alice', 'Archer', 'INTAKE'),
               ('bob', 'Bob', 'Baker', 'LEGAL'),
               ('frank', 'Frank', 'Fischer', 'CASEWORK'),
               ('grace', 'Grace', 'Gill', 'COMPLIANCE'),
               ('heidi', 'Heidi', 'Hart', 'SUPERVISION'),
               ('ivan', 'Ivan', 'Ito', 'CASEWORK'))
       AS v (user_id, first_name, last_name, dept)
  JOIN entitlements.departments d ON d.department_code = v.dept
ON CONFLICT (user_id) DO NOTHING;

INSERT INTO flowable.workflow_queues (queue_name, queue_type, department_id, description, max_capacity, sla_minutes)
SELECT v.queue_name, v.queue_type, d.department_id, v.description, v.max_capacity, v.sla_minutes
  FROM (VALUES ('intake', 'STANDARD', 'INTAKE', 'New cases waiting for a first look', 100, 240),
               ('triage', 'PRIORITY', 'CASEWORK', 'Cases waiting for triage by type and priority', 200, 120),
               ('casework', 'STANDARD', 'CASEWORK', 'Standard reviews and rework', 500, 1440),
               ('legal_review', 'SPECIALIZED', 'LEGAL', 'Cases with legal exposure', 50, 1440),
               ('compliance_review', 'SPECIALIZED', 'COMPLIANCE', 'Regulatory review of high-risk cases', 50, 2880),
               ('supervisor_approval', 'PRIORITY', 'SUPERVISION', 'Case outcomes waiting for approval', 100, 480))
       AS v (queue_name, queue_type, dept, description, max_capacity, sla_minutes)
  JOIN entitlements.departments d ON d.department_code = v.dept
ON CONFLICT (queue_name) DO NOTHING;

INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, department_id, queue_name)
SELECT v.role_code, v.role_name, 'DEPARTMENT', d.department_id, v.queue_name
  FROM (VALUES ('INTAKE_ANALYST', 'Intake analyst', 'INTAKE', 'intake'),
               ('TRIAGE_OFFICER', 'Triage officer', 'CASEWORK', 'triage'),
               ('CASE_HANDLER', 'Case handler', 'CASEWORK', 'casework'),
               ('LEGAL_REVIEWER', 'Legal reviewer', 'LEGAL', 'legal_review'),
               ('COMPLIANCE_OFFICER', 'Compliance officer', 'COMPLIANCE', 'compliance_review'),
               ('CASE_SUPERVISOR', 'Case supervisor', 'SUPERVISION', 'supervisor_approval'))
       AS v (role_code, role_name, dept, queue_name)
  JOIN entitlements.departments d ON d.department_code = v.dept
ON CONFLICT (role_code) DO NOTHING;

INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from, is_primary)
SELECT v.user_id, r.role_id, 'demo', now() - INTERVAL '30 days', v.is_primary
  FROM (VALUES ('alice', 'INTAKE_ANALYST', true),
               ('frank', 'TRIAGE_OFFICER', true),
               ('frank', 'CASE_HANDLER', false),
               ('ivan', 'CASE_HANDLER', true),
               ('bob', 'LEGAL_REVIEWER', true),
               ('grace', 'COMPLIANCE_OFFICER', true),
               ('heidi', 'CASE_SUPERVISOR', true))
       AS v (user_id, role_code, is_primary)
  JOIN entitlements.workflow_roles r ON r.role_code = v.role_code
ON CONFLICT (user_id, role_id) DO NOTHING;

INSERT INTO flowable.queue_assignments (queue_id, role_id, priority_level, assignment_strategy)
SELECT q.queue_id, r.role_id, v.priority_level, v.strategy
  FROM (VALUES ('intake', 'INTAKE_ANALYST', 50, 'ROUND_ROBIN'),
               ('triage', 'TRIAGE_OFFICER', 50, 'MANUAL'),
               ('casework', 'CASE_HANDLER', 50, 'LEAST_LOADED'),
               ('legal_review', 'LEGAL_REVIEWER', 50, 'ROUND_ROBIN'),
               ('compliance_review', 'COMPLIANCE_OFFICER', 50, 'ROUND_ROBIN'),
               ('supervisor_approval', 'CASE_SUPERVISOR', 80, 'MANUAL'))
       AS v (queue_name, role_code, priority_level, strategy)
  JOIN flowable.workflow_queues q ON q.queue_name = v.queue_name
  JOIN entitlements.workflow_roles r ON r.role_code = v.role_code
ON CONFLICT (queue_id, role_id) DO NOTHING;
