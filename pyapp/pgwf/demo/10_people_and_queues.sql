-- Demo organisation: departments, people, roles (with validity windows), queues
-- and which roles work which queue. Idempotent: rows that exist are left alone.
INSERT INTO entitlements.departments (department_code, department_name, description)
VALUES ('OPS', 'Operations', 'Parent of the case-handling departments'),
       ('INTAKE', 'Case Intake', 'First look at every new case'),
       ('LEGAL', 'Legal Review', 'Reviews cases with legal exposure'),
       ('SECOPS', 'Security Operations', 'Runs the vulnerability workflows')
ON CONFLICT (department_code) DO NOTHING;

UPDATE entitlements.departments c
   SET parent_dept_id = p.department_id
  FROM entitlements.departments p
 WHERE p.department_code = 'OPS' AND c.department_code IN ('INTAKE', 'LEGAL')
   AND c.parent_dept_id IS NULL;

INSERT INTO entitlements.users (user_id, username, email, first_name, last_name, department_id)
SELECT v.user_id, v.user_id, v.user_id || '@example.org', v.first_name, v.last_name, d.department_id
  FROM (VALUES ('alice', 'Alice', 'Archer', 'INTAKE'),
               ('bob', 'Bob', 'Baker', 'LEGAL'),
               ('carol', 'Carol', 'Chen', 'INTAKE'),
               ('dave', 'Dave', 'Dunn', 'INTAKE'),
               ('erin', 'Erin', 'Evans', 'SECOPS')) AS v (user_id, first_name, last_name, dept)
  JOIN entitlements.departments d ON d.department_code = v.dept
ON CONFLICT (user_id) DO NOTHING;

INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, department_id, queue_name, permissions)
SELECT v.role_code, v.role_name, 'DEPARTMENT', d.department_id, v.queue_name, v.permissions::jsonb
  FROM (VALUES ('INTAKE_ANALYST', 'Intake analyst', 'INTAKE', 'intake', '{}'),
               ('INTAKE_SUPERVISOR', 'Intake supervisor', 'INTAKE', 'intake', '{"view_all": true, "supervise": true}'),
               ('LEGAL_REVIEWER', 'Legal reviewer', 'LEGAL', 'legal_review', '{}'),
               ('SECURITY_TEAM', 'Security team', 'SECOPS', 'security_approvals', '{}'))
       AS v (role_code, role_name, dept, queue_name, permissions)
  JOIN entitlements.departments d ON d.department_code = v.dept
ON CONFLICT (role_code) DO NOTHING;

-- Changing workflow models and process versions (save, deploy, triggers, activate) needs this
-- role; the engine checks it (automation.require_workflow_admin). alice and erin hold it.
-- Publishing events (a scanner finding) needs event_publisher (automation.publish_event);
-- erin holds it, for the security team's scanner feed.
INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, permissions)
VALUES ('workflow_admin', 'Workflow administrator', 'SYSTEM', '{}'),
       ('event_publisher', 'Event publisher', 'SYSTEM', '{}')
ON CONFLICT (role_code) DO NOTHING;

-- dave's analyst role ended yesterday; erin's legal role starts tomorrow.
INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from, valid_until, is_primary)
SELECT v.user_id, r.role_id, 'demo', now() + v.starts, now() + v.ends, v.is_primary
  FROM (VALUES ('alice', 'INTAKE_ANALYST', INTERVAL '-30 days', NULL::interval, true),
               ('carol', 'INTAKE_SUPERVISOR', INTERVAL '-30 days', NULL, true),
               ('carol', 'INTAKE_ANALYST', INTERVAL '-30 days', NULL, false),
               ('bob', 'LEGAL_REVIEWER', INTERVAL '-30 days', NULL, true),
               ('dave', 'INTAKE_ANALYST', INTERVAL '-30 days', INTERVAL '-1 day', true),
               ('erin', 'SECURITY_TEAM', INTERVAL '-30 days', NULL, true),
               ('alice', 'workflow_admin', INTERVAL '-30 days', NULL, false),
               ('erin', 'workflow_admin', INTERVAL '-30 days', NULL, false),
               ('erin', 'event_publisher', INTERVAL '-30 days', NULL, false),
               ('erin', 'LEGAL_REVIEWER', INTERVAL '1 day', INTERVAL '60 days', false))
       AS v (user_id, role_code, starts, ends, is_primary)
  JOIN entitlements.workflow_roles r ON r.role_code = v.role_code
ON CONFLICT (user_id, role_id) DO NOTHING;

INSERT INTO flowable.workflow_queues (queue_name, queue_type, department_id, description, max_capacity, sla_minutes)
SELECT v.queue_name, v.queue_type, d.department_id, v.description, v.max_capacity, v.sla_minutes
  FROM (VALUES ('intake', 'STANDARD', 'INTAKE', 'New cases waiting for a first look', 100, 240),
               ('intake_overflow', 'OVERFLOW', 'INTAKE', 'Takes intake work when intake is full', 500, 480),
               ('legal_review', 'SPECIALIZED', 'LEGAL', 'Cases with legal exposure', 50, 1440),
               ('security_approvals', 'PRIORITY', 'SECOPS', 'Approvals of security changes', 50, 120))
       AS v (queue_name, queue_type, dept, description, max_capacity, sla_minutes)
  JOIN entitlements.departments d ON d.department_code = v.dept
ON CONFLICT (queue_name) DO NOTHING;

INSERT INTO flowable.queue_assignments (queue_id, role_id, priority_level, assignment_strategy)
SELECT q.queue_id, r.role_id, v.priority_level, v.strategy
  FROM (VALUES ('intake', 'INTAKE_ANALYST', 50, 'ROUND_ROBIN'),
               ('intake', 'INTAKE_SUPERVISOR', 10, 'MANUAL'),
               ('intake_overflow', 'INTAKE_ANALYST', 20, 'LEAST_LOADED'),
               ('legal_review', 'LEGAL_REVIEWER', 50, 'ROUND_ROBIN'),
               ('security_approvals', 'SECURITY_TEAM', 80, 'MANUAL'))
       AS v (queue_name, role_code, priority_level, strategy)
  JOIN flowable.workflow_queues q ON q.queue_name = v.queue_name
  JOIN entitlements.workflow_roles r ON r.role_code = v.role_code
ON CONFLICT (queue_id, role_id) DO NOTHING;
