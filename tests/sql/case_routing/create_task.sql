-- flowable.create_task: the task the engine makes for a user step, with capacity and overflow,
-- SLA due date, auto-assignment (ROUND_ROBIN, LEAST_LOADED, max_tasks_per_user, priority_level)
-- and one CREATE history row.
BEGIN;
SELECT plan(25);

SELECT tests.cr_world();
SELECT tests.cr_process('p1', p_started_by => 'alice');
UPDATE flowable.process_instances SET priority = 70 WHERE process_instance_id = 'p1';
UPDATE flowable.workflow_queues SET sla_minutes = 90 WHERE queue_name = 'Q_CLAIMS';

SELECT has_function('flowable', 'create_task',
    ARRAY['character varying', 'character varying', 'character varying', 'character varying', 'text[]', 'text[]',
          'character varying', 'integer', 'timestamp with time zone', 'character varying', 'jsonb', 'character varying'],
    'create_task has the signature the engine calls');

CREATE TEMP TABLE made (name text PRIMARY KEY, task_id varchar);
GRANT ALL ON made TO PUBLIC;
INSERT INTO made VALUES ('plain', flowable.create_task('p1', 'review', 'Review claim', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']));
SELECT results_eq(
    $$SELECT t.status::text, t.assignee_id::text, t.priority, t.task_type::text, t.queue_name::text,
             t.due_date = now() + interval '90 minutes', t.candidate_groups
      FROM flowable.workflow_tasks t JOIN made m USING (task_id) WHERE m.name = 'plain'$$,
    $$VALUES ('OPEN', NULL, 70, 'USER_TASK', 'Q_CLAIMS', true, ARRAY['CLAIMS_AGENT'])$$,
    'a task without assignee starts OPEN, with the run''s priority and due after the queue''s sla_minutes');
SELECT results_eq(
    $$SELECT h.action_type::text, h.action_by::text, h.old_status, h.new_status::text, h.new_assignee, h.action_data
      FROM flowable.task_history h JOIN made m USING (task_id) WHERE m.name = 'plain'$$,
    $$VALUES ('CREATE', 'SYSTEM', NULL::varchar, 'OPEN', NULL::varchar, '{"queue": "Q_CLAIMS"}'::jsonb)$$,
    'creation writes exactly one CREATE history row (SYSTEM when no identity is set)');
SELECT is((SELECT current_load FROM flowable.workflow_queues WHERE queue_name = 'Q_CLAIMS'), 1, 'the new task counts in current_load');
SELECT ok((SELECT task_id ~ '^[0-9a-f-]{36}$' FROM made WHERE name = 'plain'), 'task ids are UUIDs');

INSERT INTO made VALUES ('given', flowable.create_task('p1', 'review', 'Review claim', 'Q_CLAIMS',
    p_assignee_id => 'bob', p_priority => 5, p_due_date => '2030-01-01 00:00+00', p_form_key => 'f1',
    p_task_data => '{"a": 1}', p_task_type => 'APPROVAL'));
SELECT results_eq(
    $$SELECT t.status::text, t.assignee_id::text, t.claimed_by::text, t.claimed_at = now(), t.priority, t.due_date,
             t.form_key::text, t.task_data, t.task_type::text
      FROM flowable.workflow_tasks t JOIN made m USING (task_id) WHERE m.name = 'given'$$,
    $$VALUES ('CLAIMED', 'bob', 'bob', true, 5, '2030-01-01 00:00+00'::timestamptz, 'f1', '{"a": 1}'::jsonb, 'APPROVAL')$$,
    'a task with an assignee starts CLAIMED by that user with the given priority, due date, form and data');
SELECT results_eq(
    $$SELECT h.new_status::text, h.new_assignee::text FROM flowable.task_history h JOIN made m USING (task_id) WHERE m.name = 'given'$$,
    $$VALUES ('CLAIMED', 'bob')$$, 'its CREATE row names the assignee');

SELECT throws_ok($$SELECT flowable.create_task('nope', 'k', 'n', 'Q_CLAIMS')$$, 'PW404', NULL, 'an unknown process instance is refused');
SELECT throws_ok($$SELECT flowable.create_task('p1', 'k', 'n', 'Q_NOWHERE')$$, 'PW404', NULL, 'an unknown queue is refused');
SELECT throws_ok($$SELECT flowable.create_task('p1', 'k', NULL, 'Q_CLAIMS')$$, 'PW400', NULL, 'a task needs a name');
SELECT throws_ok($$SELECT flowable.create_task('p1', 'k', 'n', 'Q_CLAIMS', p_assignee_id => 'frank')$$, 'PW404', NULL,
    'an inactive user cannot be the assignee');
UPDATE flowable.workflow_queues SET is_active = false WHERE queue_name = 'Q_OTHER';
SELECT throws_ok($$SELECT flowable.create_task('p1', 'k', 'n', 'Q_OTHER')$$, 'PW409', NULL, 'an inactive queue gets no new task');
UPDATE flowable.workflow_queues SET is_active = true WHERE queue_name = 'Q_OTHER';

-- Capacity and overflow.
SELECT tests.cr_queue('Q_SMALL', 'CLAIMS', p_max_capacity => 1, p_routing_rules => '{"overflow_queue": "Q_SPILL"}');
SELECT tests.cr_queue('Q_SPILL', 'CLAIMS', p_max_capacity => 1, p_sla_minutes => 30, p_queue_type => 'OVERFLOW');
SELECT tests.cr_queue('Q_TINY', 'CLAIMS', p_max_capacity => 0);
INSERT INTO made VALUES ('small1', flowable.create_task('p1', 'k', 'n', 'Q_SMALL'));
INSERT INTO made VALUES ('small2', flowable.create_task('p1', 'k', 'n', 'Q_SMALL'));
SELECT results_eq(
    $$SELECT m.name, t.queue_name::text, t.due_date = now() + interval '30 minutes' FROM flowable.workflow_tasks t JOIN made m USING (task_id)
      WHERE m.name LIKE 'small%' ORDER BY m.name$$,
    $$VALUES ('small1', 'Q_SMALL', false), ('small2', 'Q_SPILL', true)$$,
    'a queue at max_capacity sends the next task to its overflow queue, whose SLA then applies');
SELECT is((SELECT h.action_data FROM flowable.task_history h JOIN made m USING (task_id) WHERE m.name = 'small2'),
    '{"queue": "Q_SPILL", "overflow": true, "requested_queue": "Q_SMALL"}'::jsonb,
    'the CREATE row records the overflow');
SELECT throws_ok($$SELECT flowable.create_task('p1', 'k', 'n', 'Q_SMALL')$$, 'PW429', NULL,
    'when the overflow queue is full too the task is refused with PW429');
SELECT throws_ok($$SELECT flowable.create_task('p1', 'k', 'n', 'Q_TINY')$$, 'PW429',
    'create_task: queue Q_TINY is at capacity (0 of 0)', 'a full queue without overflow refuses with PW429 naming the queue');
UPDATE flowable.workflow_tasks t SET status = 'COMPLETED' FROM made m WHERE m.task_id = t.task_id AND m.name = 'small1';
INSERT INTO made VALUES ('small3', flowable.create_task('p1', 'k', 'n', 'Q_SMALL'));
SELECT is((SELECT t.queue_name::text FROM flowable.workflow_tasks t JOIN made m USING (task_id) WHERE m.name = 'small3'), 'Q_SMALL',
    'a completed task frees capacity');

-- Auto-assignment: ROUND_ROBIN over the holders of the queue's role.
SELECT tests.cr_queue('Q_RR', 'CLAIMS');
SELECT tests.cr_role('RR_AGENT', 'Q_RR', 'CLAIMS');
SELECT tests.cr_grant(u, 'RR_AGENT') FROM unnest(ARRAY['alice', 'bob', 'carol', 'frank']) AS u;
SELECT tests.cr_grant('dave', 'RR_AGENT', now() - interval '2 days', now() - interval '1 day');
SELECT tests.cr_assignment('Q_RR', 'RR_AGENT', true, 'ROUND_ROBIN', 50, 2);
INSERT INTO made SELECT 'rr' || i, flowable.create_task('p1', 'k', 'n', 'Q_RR') FROM generate_series(1, 7) AS i;
SELECT results_eq(
    $$SELECT t.assignee_id::text, t.status::text FROM flowable.workflow_tasks t JOIN made m USING (task_id)
      WHERE m.name LIKE 'rr%' ORDER BY substr(m.name, 3)::int$$,
    $$VALUES ('alice', 'CLAIMED'), ('bob', 'CLAIMED'), ('carol', 'CLAIMED'), ('alice', 'CLAIMED'), ('bob', 'CLAIMED'),
             ('carol', 'CLAIMED'), (NULL, 'OPEN')$$,
    'ROUND_ROBIN deals tasks to valid active holders in turn, never past max_tasks_per_user (2), then leaves them OPEN');
SELECT is((SELECT h.action_data ->> 'auto_assigned' FROM flowable.task_history h JOIN made m USING (task_id) WHERE m.name = 'rr1'),
    'ROUND_ROBIN', 'the CREATE row names the strategy that assigned the task');

-- LEAST_LOADED with a higher-priority role whose holder is full.
SELECT tests.cr_queue('Q_LL', 'CLAIMS');
SELECT tests.cr_role('LL_SENIOR', 'Q_LL', 'CLAIMS');
SELECT tests.cr_role('LL_JUNIOR', 'Q_LL', 'CLAIMS');
SELECT tests.cr_grant('carol', 'LL_SENIOR');
SELECT tests.cr_grant('alice', 'LL_JUNIOR');
SELECT tests.cr_grant('bob', 'LL_JUNIOR');
SELECT tests.cr_assignment('Q_LL', 'LL_SENIOR', true, 'LEAST_LOADED', 90, 1);
SELECT tests.cr_assignment('Q_LL', 'LL_JUNIOR', true, 'LEAST_LOADED', 10, 5);
SELECT tests.cr_task('ll-pre-1', 'Q_LL', NULL, 'CLAIMED', 'alice');
SELECT tests.cr_task('ll-pre-2', 'Q_LL', NULL, 'CLAIMED', 'alice');
INSERT INTO made SELECT 'll' || i, flowable.create_task('p1', 'k', 'n', 'Q_LL') FROM generate_series(1, 4) AS i;
SELECT results_eq(
    $$SELECT t.assignee_id::text FROM flowable.workflow_tasks t JOIN made m USING (task_id)
      WHERE m.name LIKE 'll%' ORDER BY substr(m.name, 3)::int$$,
    $$VALUES ('carol'), ('bob'), ('bob'), ('alice')$$,
    'the higher priority_level role is served first until its holder is full; LEAST_LOADED then picks the least busy junior');

-- Candidates restrict auto-assignment.
INSERT INTO made VALUES ('cand', flowable.create_task('p1', 'k', 'n', 'Q_LL', p_candidate_users => ARRAY['alice']));
SELECT is((SELECT t.assignee_id::text FROM flowable.workflow_tasks t JOIN made m USING (task_id) WHERE m.name = 'cand'), 'alice',
    'a task naming candidate users is auto-assigned only to one of them');
INSERT INTO made VALUES ('cand2', flowable.create_task('p1', 'k', 'n', 'Q_LL', p_candidate_groups => ARRAY['NO_SUCH_ROLE']));
SELECT is((SELECT t.status::text FROM flowable.workflow_tasks t JOIN made m USING (task_id) WHERE m.name = 'cand2'), 'OPEN',
    'a task whose candidates hold no auto-assigning role stays OPEN');

-- As the engine's worker role, with an identity: action_by is the person.
SET LOCAL ROLE pgwf_test_worker;
SELECT tests.as_user('alice');
INSERT INTO made VALUES ('as-worker', flowable.create_task('p1', 'k', 'n', 'Q_CLAIMS'));
RESET ROLE;
SELECT is((SELECT h.action_by::text FROM flowable.task_history h JOIN made m USING (task_id) WHERE m.name = 'as-worker'), 'alice',
    'the worker role may create tasks; the CREATE row names the identity');
SET LOCAL ROLE pgwf_test_app;
SELECT throws_ok($$SELECT flowable.create_task('p1', 'k', 'n', 'Q_CLAIMS')$$, '42501', NULL,
    'people cannot create tasks directly');
RESET ROLE;
SELECT is_empty($$SELECT q.queue_name FROM flowable.workflow_queues q
    WHERE q.current_load <> (SELECT count(*) FROM flowable.workflow_tasks t WHERE t.queue_name = q.queue_name
                             AND t.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED'))$$,
    'after all of this every queue''s current_load is exact');

SELECT * FROM finish();
ROLLBACK;
