-- flowable.start_process: starts the active version of a deployed BPMN process,
-- fills the process instance and the case mapping, and opens user tasks in queues.
BEGIN;
SELECT plan(17);

SELECT tests.cr_department('REVIEWS');
SELECT tests.cr_queue('review', 'REVIEWS', p_sla_minutes => 600);
SELECT tests.cr_queue('fast', 'REVIEWS', p_sla_minutes => 30);
SELECT tests.cr_role('REVIEWER', 'review', 'REVIEWS');
CREATE TEMP TABLE ids (name text PRIMARY KEY, id text);
GRANT ALL ON ids TO PUBLIC;
CREATE TEMP VIEW docs AS SELECT
    tests.bpmn_doc('<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="fork"/><parallelGateway id="fork"/>'
        || '<sequenceFlow id="f2" sourceRef="fork" targetRef="review"/><sequenceFlow id="f3" sourceRef="fork" targetRef="quick"/>'
        || '<userTask id="review" name="Review the claim" flowable:candidateGroups="REVIEWER" flowable:priority="65" flowable:formKey="claim-review"/>'
        || '<userTask id="quick" name="Quick check" flowable:candidateUsers="alice, bob" flowable:dueDate="PT45M" pgwf:queue="fast"/>'
        || '<sequenceFlow id="f4" sourceRef="review" targetRef="join"/><sequenceFlow id="f5" sourceRef="quick" targetRef="join"/>'
        || '<parallelGateway id="join"/><sequenceFlow id="f6" sourceRef="join" targetRef="e"/><endEvent id="e"/>', 'claimCheck') AS v1,
    tests.bpmn_linear('<userTask id="step" name="Version two task" flowable:candidateGroups="REVIEWER"/>', 'claimCheck') AS v2;
GRANT SELECT ON docs TO PUBLIC;
SELECT tests.workflow_admin('deployer');
INSERT INTO entitlements.users (user_id, username) VALUES ('alice', 'alice'), ('bob', 'bob') ON CONFLICT (user_id) DO NOTHING;

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('deployer');
SELECT throws_ok($$SELECT flowable.start_process('claimCheck')$$, 'PW404', 'process claimCheck is not deployed',
    'starting a process that is not deployed is refused');
SELECT flowable.deploy_process((SELECT v1 FROM docs), p_sla_config => '{"defaultSlaMinutes": 2880}');
SELECT tests.as_user('');
SELECT throws_ok($$SELECT flowable.start_process('claimCheck')$$, 'PW401', NULL, 'starting without an identity is refused');
SELECT tests.as_user('alice');
INSERT INTO ids SELECT 'run1', flowable.start_process('claimCheck', 'CLM-7', '{"amount": 1200}', 4711,
                                                      p_priority => 80, p_tags => ARRAY['motor', 'urgent']);
RESET ROLE;

SELECT results_eq($$SELECT p.business_key::text, p.case_id, p.started_by::text, p.status::text, p.priority, p.tags,
                           d.process_key::text, d.process_version
                    FROM flowable.process_instances p JOIN flowable.workflow_definitions d USING (workflow_id)
                    WHERE p.process_instance_id = (SELECT id FROM ids WHERE name = 'run1')$$,
    $$VALUES ('CLM-7', 4711::bigint, 'alice', 'ACTIVE', 80, ARRAY['motor', 'urgent'], 'claimCheck', 1)$$,
    'the process instance records business key, case, starter, priority, tags and its version');
SELECT is((SELECT sla_due_date - started_at FROM flowable.process_instances WHERE process_instance_id = (SELECT id FROM ids WHERE name = 'run1')),
    interval '2880 minutes', 'the process SLA comes from the definition''s sla_config');
SELECT is((SELECT execution_context -> 'variables' FROM automation.workflow_instances WHERE id::text = (SELECT id FROM ids WHERE name = 'run1')),
    '{"amount": 1200, "caseId": 4711, "initiator": "alice"}'::jsonb,
    'the run''s variables are the start variables plus initiator and caseId');
SELECT results_eq($$SELECT task_definition_key::text, task_name::text, queue_name::text, candidate_groups, candidate_users,
                           priority, form_key::text, status::text
                    FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id FROM ids WHERE name = 'run1')
                    ORDER BY task_definition_key$$,
    $$VALUES ('quick', 'Quick check', 'fast', NULL::text[], ARRAY['alice', 'bob'], 75, NULL, 'OPEN'),
             ('review', 'Review the claim', 'review', ARRAY['REVIEWER'], NULL::text[], 65, 'claim-review', 'OPEN')$$,
    'both parallel user tasks are in their queues with the XML''s groups, users, priority and form key (else the run''s priority band)');
SELECT is((SELECT round(extract(epoch FROM due_date - created_at) / 60)::integer FROM flowable.workflow_tasks
           WHERE process_instance_id = (SELECT id FROM ids WHERE name = 'run1') AND task_definition_key = 'quick'),
    45, 'a task''s due date comes from the XML''s dueDate');
SELECT is((SELECT round(extract(epoch FROM due_date - created_at) / 60)::integer FROM flowable.workflow_tasks
           WHERE process_instance_id = (SELECT id FROM ids WHERE name = 'run1') AND task_definition_key = 'review'),
    600, 'without a dueDate, a task''s due date comes from its queue''s SLA');
SELECT results_eq($$SELECT case_id, workflow_type::text, initiated_by::text, current_department::text, current_phase::text,
                           jsonb_array_length(routing_history), routing_history -> 0 ->> 'event'
                    FROM onecms.case_workflow_mapping WHERE process_instance_id = (SELECT id FROM ids WHERE name = 'run1')$$,
    $$VALUES (4711::bigint, 'claimCheck', 'alice', 'REVIEWS', 'quick, review', 1, 'started')$$,
    'the case is mapped to the process with its department, phase and routing history');
SELECT is((SELECT count(*)::integer FROM onecms.case_workflow_mapping WHERE case_id = 4711), 1, 'the start maps its case once');

-- versions: a running instance stays on its version; new starts use the active one
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('deployer');
SELECT flowable.deploy_process((SELECT v2 FROM docs));
INSERT INTO ids SELECT 'run2', flowable.start_process('claimCheck', 'CLM-8');
SELECT tests.as_user('bob');
INSERT INTO ids SELECT 'run3', flowable.start_process('claimCheck', 'CLM-9', p_process_version => 1, p_started_by => 'bob');
RESET ROLE;
SELECT results_eq($$SELECT i.name, d.process_version FROM ids i
                    JOIN flowable.process_instances p ON p.process_instance_id = i.id
                    JOIN flowable.workflow_definitions d USING (workflow_id) ORDER BY i.name$$,
    $$VALUES ('run1', 1), ('run2', 2), ('run3', 1)$$,
    'new starts use the active version; a named version can still be started; running ones stay where they are');
SELECT is((SELECT array_agg(task_definition_key::text) FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id FROM ids WHERE name = 'run2')),
    ARRAY['step'], 'a run of version 2 follows version 2''s graph');
SELECT is((SELECT started_by::text FROM flowable.process_instances WHERE process_instance_id = (SELECT id FROM ids WHERE name = 'run3')),
    'bob', 'the starter is the identity (p_started_by may name it too)');
SELECT is((SELECT count(*)::integer FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id FROM ids WHERE name = 'run1')), 2,
    'deploying a new version leaves the running instance''s tasks alone');

UPDATE flowable.workflow_definitions SET is_active = false WHERE process_key = 'claimCheck';
SET LOCAL ROLE pgwf_test_app;
SELECT throws_ok($$SELECT flowable.start_process('claimCheck')$$, 'PW409', 'process claimCheck has no active version',
    'a process with no active version cannot be started');
SELECT throws_ok($$SELECT flowable.start_process('claimCheck', p_variables => '[1]')$$, 'PW400', 'p_variables must be a JSON object',
    'variables must be an object');
SELECT throws_ok($$SELECT flowable.start_process('claimCheck', p_priority => 101)$$, 'PW400', 'p_priority 101 is outside 0..100',
    'a priority outside 0..100 is refused');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
