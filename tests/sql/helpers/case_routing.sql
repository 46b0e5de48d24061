-- Fixture builders for the case-routing tests (tests/sql/case_routing): departments, users,
-- roles and their grants, queues, definitions, runs and tasks with sensible defaults.
-- They insert directly (as the test's superuser), never through the task service.

CREATE OR REPLACE FUNCTION tests.cr_department(p_code varchar, p_parent_code varchar DEFAULT NULL)
RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO entitlements.departments (department_code, department_name, parent_dept_id)
    VALUES (p_code, initcap(p_code) || ' department',
            (SELECT department_id FROM entitlements.departments WHERE department_code = p_parent_code))
    RETURNING department_id;
$$;
COMMENT ON FUNCTION tests.cr_department(varchar, varchar) IS 'A department named after its code; returns its id.';

CREATE OR REPLACE FUNCTION tests.cr_user(
    p_user_id varchar, p_department_code varchar DEFAULT NULL,
    p_first_name varchar DEFAULT NULL, p_last_name varchar DEFAULT NULL, p_is_active boolean DEFAULT true)
RETURNS varchar LANGUAGE sql AS $$
    INSERT INTO entitlements.users (user_id, username, email, first_name, last_name, department_id, is_active)
    VALUES (p_user_id, p_user_id, p_user_id || '@example.org', p_first_name, p_last_name,
            (SELECT department_id FROM entitlements.departments WHERE department_code = p_department_code),
            p_is_active)
    RETURNING user_id;
$$;
COMMENT ON FUNCTION tests.cr_user(varchar, varchar, varchar, varchar, boolean) IS 'A user whose username is its user_id.';

CREATE OR REPLACE FUNCTION tests.cr_queue(
    p_queue_name varchar, p_department_code varchar DEFAULT NULL,
    p_max_capacity integer DEFAULT 100, p_sla_minutes integer DEFAULT 480,
    p_escalation_config jsonb DEFAULT '{}', p_routing_rules jsonb DEFAULT '{}',
    p_queue_type varchar DEFAULT 'STANDARD', p_is_active boolean DEFAULT true)
RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO flowable.workflow_queues (queue_name, queue_type, department_id, max_capacity, sla_minutes,
                                          escalation_config, routing_rules, is_active)
    VALUES (p_queue_name, p_queue_type,
            (SELECT department_id FROM entitlements.departments WHERE department_code = p_department_code),
            p_max_capacity, p_sla_minutes, p_escalation_config, p_routing_rules, p_is_active)
    RETURNING queue_id;
$$;
COMMENT ON FUNCTION tests.cr_queue(varchar, varchar, integer, integer, jsonb, jsonb, varchar, boolean) IS 'A queue; returns its id.';

CREATE OR REPLACE FUNCTION tests.cr_role(
    p_role_code varchar, p_queue_name varchar DEFAULT NULL, p_department_code varchar DEFAULT NULL,
    p_permissions jsonb DEFAULT '{}', p_is_active boolean DEFAULT true)
RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO entitlements.workflow_roles (role_code, role_name, role_type, department_id, queue_name, permissions, is_active)
    VALUES (p_role_code, initcap(p_role_code), CASE WHEN p_department_code IS NULL THEN 'CUSTOM' ELSE 'DEPARTMENT' END,
            (SELECT department_id FROM entitlements.departments WHERE department_code = p_department_code),
            p_queue_name, p_permissions, p_is_active)
    RETURNING role_id;
$$;
COMMENT ON FUNCTION tests.cr_role(varchar, varchar, varchar, jsonb, boolean) IS 'A workflow role working a queue; returns its id.';

CREATE OR REPLACE FUNCTION tests.cr_grant(
    p_user_id varchar, p_role_code varchar,
    p_valid_from timestamptz DEFAULT now() - interval '1 day', p_valid_until timestamptz DEFAULT NULL)
RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO entitlements.user_workflow_roles (user_id, role_id, assigned_by, valid_from, valid_until)
    VALUES (p_user_id, (SELECT role_id FROM entitlements.workflow_roles WHERE role_code = p_role_code),
            'admin', p_valid_from, p_valid_until)
    RETURNING user_role_id;
$$;
COMMENT ON FUNCTION tests.cr_grant(varchar, varchar, timestamptz, timestamptz) IS 'Grant a role to a user, valid since yesterday and open-ended unless told.';

CREATE OR REPLACE FUNCTION tests.cr_assignment(
    p_queue_name varchar, p_role_code varchar, p_auto_assign boolean DEFAULT true,
    p_strategy varchar DEFAULT 'ROUND_ROBIN', p_priority_level integer DEFAULT 50,
    p_max_tasks_per_user integer DEFAULT 10)
RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO flowable.queue_assignments (queue_id, role_id, priority_level, max_tasks_per_user, auto_assign, assignment_strategy)
    VALUES ((SELECT queue_id FROM flowable.workflow_queues WHERE queue_name = p_queue_name),
            (SELECT role_id FROM entitlements.workflow_roles WHERE role_code = p_role_code),
            p_priority_level, p_max_tasks_per_user, p_auto_assign, p_strategy)
    RETURNING assignment_id;
$$;
COMMENT ON FUNCTION tests.cr_assignment(varchar, varchar, boolean, varchar, integer, integer) IS 'Let a role work a queue (auto-assigning by default).';

CREATE OR REPLACE FUNCTION tests.cr_definition(
    p_process_key varchar, p_process_version integer DEFAULT 1, p_is_active boolean DEFAULT true,
    p_process_name varchar DEFAULT NULL)
RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO flowable.workflow_definitions (process_key, process_name, process_version, business_app, is_active)
    VALUES (p_process_key, COALESCE(p_process_name, initcap(p_process_key)), p_process_version, 'ONECMS', p_is_active)
    RETURNING workflow_id;
$$;
COMMENT ON FUNCTION tests.cr_definition(varchar, integer, boolean, varchar) IS 'A process definition version; returns workflow_id.';

CREATE OR REPLACE FUNCTION tests.cr_process(
    p_process_instance_id varchar, p_process_key varchar DEFAULT NULL, p_started_by varchar DEFAULT 'starter',
    p_status varchar DEFAULT 'ACTIVE', p_started_at timestamptz DEFAULT now(), p_completed_at timestamptz DEFAULT NULL,
    p_case_id bigint DEFAULT NULL)
RETURNS varchar LANGUAGE plpgsql AS $$
DECLARE
    v_workflow_id bigint;
BEGIN
    SELECT workflow_id INTO v_workflow_id FROM flowable.workflow_definitions
    WHERE process_key = COALESCE(p_process_key, 'test_process') ORDER BY process_version DESC LIMIT 1;
    IF v_workflow_id IS NULL THEN
        v_workflow_id := tests.cr_definition(COALESCE(p_process_key, 'test_process'));
    END IF;
    INSERT INTO flowable.process_instances (process_instance_id, workflow_id, started_by, status, started_at, completed_at, case_id)
    VALUES (p_process_instance_id, v_workflow_id, p_started_by, p_status, p_started_at, p_completed_at, p_case_id);
    RETURN p_process_instance_id;
END;
$$;
COMMENT ON FUNCTION tests.cr_process(varchar, varchar, varchar, varchar, timestamptz, timestamptz, bigint) IS 'A process instance of the latest version of a definition (made if missing).';

CREATE OR REPLACE FUNCTION tests.cr_task(
    p_task_id varchar, p_queue_name varchar, p_candidate_groups text[] DEFAULT NULL,
    p_status varchar DEFAULT 'OPEN', p_assignee_id varchar DEFAULT NULL, p_priority integer DEFAULT 50,
    p_created_at timestamptz DEFAULT now(), p_due_date timestamptz DEFAULT NULL,
    p_process_instance_id varchar DEFAULT NULL, p_candidate_users text[] DEFAULT NULL)
RETURNS varchar LANGUAGE plpgsql AS $$
DECLARE
    v_pid varchar := COALESCE(p_process_instance_id, 'pi-' || p_task_id);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM flowable.process_instances WHERE process_instance_id = v_pid) THEN
        PERFORM tests.cr_process(v_pid);
    END IF;
    INSERT INTO flowable.workflow_tasks (task_id, process_instance_id, task_definition_key, task_name, queue_name,
                                         assignee_id, claimed_by, claimed_at, candidate_groups, candidate_users,
                                         priority, status, created_at, due_date)
    VALUES (p_task_id, v_pid, 'step_' || p_task_id, 'Task ' || p_task_id, p_queue_name,
            p_assignee_id, p_assignee_id, CASE WHEN p_assignee_id IS NOT NULL THEN p_created_at END,
            p_candidate_groups, p_candidate_users, p_priority, p_status, p_created_at, p_due_date);
    RETURN p_task_id;
END;
$$;
COMMENT ON FUNCTION tests.cr_task(varchar, varchar, text[], varchar, varchar, integer, timestamptz, timestamptz, varchar, text[]) IS 'A task inserted directly (its run is made when missing).';

CREATE OR REPLACE FUNCTION tests.cr_world()
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- Department CLAIMS with queues Q_CLAIMS and Q_FRAUD; department OTHER with Q_OTHER.
    PERFORM tests.cr_department('CLAIMS');
    PERFORM tests.cr_department('OTHER');
    PERFORM tests.cr_queue('Q_CLAIMS', 'CLAIMS');
    PERFORM tests.cr_queue('Q_FRAUD', 'CLAIMS');
    PERFORM tests.cr_queue('Q_OTHER', 'OTHER');
    PERFORM tests.cr_role('CLAIMS_AGENT', 'Q_CLAIMS', 'CLAIMS');
    PERFORM tests.cr_role('FRAUD_AGENT', 'Q_FRAUD', 'CLAIMS');
    PERFORM tests.cr_role('CLAIMS_SUPERVISOR', NULL, 'CLAIMS', '{"view_all": true, "supervise": true}');
    -- alice works claims, bob works fraud, carol supervises the CLAIMS department;
    -- dave's claims role has expired, erin's starts tomorrow, frank is an inactive user.
    PERFORM tests.cr_user('alice', 'CLAIMS', 'Alice', 'Archer');
    PERFORM tests.cr_user('bob', 'CLAIMS', 'Bob', NULL);
    PERFORM tests.cr_user('carol', 'CLAIMS', 'Carol', 'Chief');
    PERFORM tests.cr_user('dave', 'CLAIMS', 'Dave', 'Doe');
    PERFORM tests.cr_user('erin', 'CLAIMS', 'Erin', 'Early');
    PERFORM tests.cr_user('frank', 'CLAIMS', 'Frank', 'Former', false);
    PERFORM tests.cr_grant('alice', 'CLAIMS_AGENT');
    PERFORM tests.cr_grant('bob', 'FRAUD_AGENT');
    PERFORM tests.cr_grant('carol', 'CLAIMS_SUPERVISOR');
    PERFORM tests.cr_grant('dave', 'CLAIMS_AGENT', now() - interval '10 days', now() - interval '1 day');
    PERFORM tests.cr_grant('erin', 'CLAIMS_AGENT', now() + interval '1 day', NULL);
    PERFORM tests.cr_grant('frank', 'CLAIMS_AGENT', now() - interval '10 days', now() + interval '10 days');
END;
$$;
COMMENT ON FUNCTION tests.cr_world() IS 'The shared case-routing fixture: departments CLAIMS/OTHER, queues Q_CLAIMS/Q_FRAUD/Q_OTHER, users alice (claims agent), bob (fraud agent), carol (CLAIMS supervisor, view_all), dave (expired grant), erin (grant from tomorrow), frank (inactive user).';
