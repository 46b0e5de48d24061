-- Idempotent retries: a task action or run start repeated with the same idempotency key by the
-- same user returns the first result instead of PW409 and changes nothing more; the key with
-- other arguments is refused with PW422; a refused call remembers no key; keys of different
-- users never meet; a key expires after pgwf.idempotency_key_hours and run_maintenance purges it.
BEGIN;
SELECT plan(35);

SELECT tests.cr_world();
SELECT tests.cr_task('t1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('t2', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('t3', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('t4', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('n1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], p_priority => 99);
SELECT tests.cr_grant('bob', 'CLAIMS_AGENT');
CREATE TEMP VIEW hist AS
SELECT task_id::text, action_type::text, action_by::text FROM flowable.task_history;
GRANT SELECT ON hist TO PUBLIC;
CREATE TEMP TABLE got (name text PRIMARY KEY, v text);
GRANT ALL ON got TO PUBLIC;

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');

-- claim
SELECT results_eq($$SELECT status::text, assignee_id::text FROM flowable.claim_task('t1', 'k-claim')$$,
    $$VALUES ('CLAIMED', 'alice')$$, 'alice claims t1 with a key');
SELECT results_eq($$SELECT task_id::text, status::text, assignee_id::text, claimed_at IS NOT NULL FROM flowable.claim_task('t1', 'k-claim')$$,
    $$VALUES ('t1', 'CLAIMED', 'alice', true)$$, 'the same claim with the same key returns the first answer, not PW409');
SELECT is((SELECT count(*)::int FROM hist WHERE task_id = 't1' AND action_type = 'CLAIM'), 1, 'the repeat wrote no second CLAIM row');
SELECT throws_ok($$SELECT flowable.claim_task('t1')$$, 'PW409', NULL, 'the same claim without a key is still refused with PW409');
SELECT throws_ok($$SELECT flowable.claim_task('t1', 'k-other')$$, 'PW409', NULL, 'and so is the claim with a new key');
SELECT throws_ok($$SELECT flowable.claim_task('t2', 'k-claim')$$, 'PW422',
    'claim_task: idempotency key k-claim of user alice was first used for claim_task with other arguments',
    'the key with other arguments is refused with PW422, naming key, user and action');
SELECT throws_ok($$SELECT flowable.complete_task('t1', 'OK', NULL, '{}', 'k-claim')$$, 'PW422', NULL,
    'the key of a claim cannot be used for a completion');
SELECT throws_ok($$SELECT flowable.claim_task('t2', repeat('k', 256))$$, 'PW400', NULL, 'a key longer than 255 characters is refused');

-- another user's keys are their own
SELECT tests.as_user('bob');
SELECT results_eq($$SELECT status::text, assignee_id::text FROM flowable.claim_task('t2', 'k-claim')$$,
    $$VALUES ('CLAIMED', 'bob')$$, 'bob''s key k-claim is not alice''s: his claim of t2 is done');
SELECT throws_ok($$SELECT flowable.complete_task('t1', 'OK', NULL, '{}', 'k-done')$$, 'PW403', NULL,
    'bob cannot complete alice''s task, key or not');
SELECT tests.as_user('alice');

-- complete
SELECT results_eq($$SELECT status::text, outcome::text, form_data FROM flowable.complete_task('t1', 'APPROVED', 'fine', '{"a": 1}', 'k-done')$$,
    $$VALUES ('COMPLETED', 'APPROVED', '{"a": 1}'::jsonb)$$, 'alice completes t1 with a key');
SELECT results_eq($$SELECT status::text, outcome::text, form_data, completed_by::text FROM flowable.complete_task('t1', 'APPROVED', 'fine', '{"a": 1}', 'k-done')$$,
    $$VALUES ('COMPLETED', 'APPROVED', '{"a": 1}'::jsonb, 'alice')$$, 'the retried completion returns the completed task, not PW409');
SELECT is((SELECT count(*)::int FROM hist WHERE task_id = 't1' AND action_type = 'COMPLETE'), 1, 'one COMPLETE row only');
SELECT throws_ok($$SELECT flowable.complete_task('t1', 'REJECTED', 'fine', '{"a": 1}', 'k-done')$$, 'PW422', NULL,
    'the key with another outcome is refused with PW422');
SELECT throws_ok($$SELECT flowable.complete_task('t1', 'APPROVED', 'fine', '{"a": 1}')$$, 'PW409', NULL,
    'without the key the completion of a completed task is PW409 as before');

-- a refused call remembers no key: the same key works once the call can succeed
SELECT throws_ok($$SELECT flowable.complete_task('t3', 'OK', NULL, '{}', 'k-t3')$$, 'PW409', NULL, 'completing an OPEN task with a key is refused');
SELECT lives_ok($$SELECT flowable.claim_task('t3')$$, 'alice claims t3');
SELECT results_eq($$SELECT status::text FROM flowable.complete_task('t3', 'OK', NULL, '{}', 'k-t3')$$, $$VALUES ('COMPLETED')$$,
    'the key of the refused call was not kept: the completion with it is done');

-- claim the next task
INSERT INTO got SELECT 'next', task_id FROM flowable.claim_next_task('alice', ARRAY['Q_CLAIMS'], 'k-next');
SELECT is((SELECT v FROM got WHERE name = 'next'), 'n1', 'claim_next_task with a key claims the most urgent task');
SELECT results_eq($$SELECT task_id::text FROM flowable.claim_next_task('alice', ARRAY['Q_CLAIMS'], 'k-next')$$,
    $$VALUES ('n1')$$, 'its repeat returns the same task and claims no other');
SELECT is((SELECT count(*)::int FROM hist WHERE action_type = 'CLAIM' AND action_by = 'alice' AND task_id NOT IN ('t1', 't3', 't4', 'n1')), 0,
    'no second task was claimed');

-- unclaim, delegate, resolve
SELECT flowable.claim_task('t4');
SELECT flowable.unclaim_task('t4', 'back', 'k-unclaim');
SELECT results_eq($$SELECT status::text FROM flowable.unclaim_task('t4', 'back', 'k-unclaim')$$, $$VALUES ('OPEN')$$,
    'a retried unclaim returns the first answer');
SELECT flowable.claim_task('t4');
SELECT flowable.delegate_task('t4', 'bob', 'have a look', 'k-delegate');
SELECT results_eq($$SELECT status::text, assignee_id::text FROM flowable.delegate_task('t4', 'bob', 'have a look', 'k-delegate')$$,
    $$VALUES ('DELEGATED', 'bob')$$, 'a retried delegation returns the first answer');
SELECT tests.as_user('bob');
SELECT flowable.resolve_task('t4', 'done', '{"b": 2}', 'k-resolve');
SELECT results_eq($$SELECT status::text, assignee_id::text FROM flowable.resolve_task('t4', 'done', '{"b": 2}', 'k-resolve')$$,
    $$VALUES ('CLAIMED', 'alice')$$, 'a retried resolve returns the first answer');
SELECT is((SELECT string_agg(action_type, ',' ORDER BY action_type) FROM hist WHERE task_id = 't4'), 'CLAIM,CLAIM,DELEGATE,UNCLAIM,UPDATE',
    'each action of t4 wrote its history once');
RESET ROLE;

-- run starts and approvals
SELECT tests.cr_queue('security_q'), tests.cr_role('security_team', 'security_q'), tests.cr_user('sam'),
       tests.cr_grant('sam', 'security_team');
CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["ap", "approval", {"approverRole": "security_team"}], ["ok", "end"], ["no", "end"]]',
    '[["start", "ap"], ["ap", "ok", "approved"], ["ap", "no", "rejected"]]')) AS id;
GRANT SELECT ON wf TO PUBLIC;
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
INSERT INTO got SELECT 'run', automation.start_workflow((SELECT id FROM wf), '{"x": 1}', 'normal', NULL, 'k-start');
SELECT is(automation.start_workflow((SELECT id FROM wf), '{"x": 1}', 'normal', NULL, 'k-start')::text, (SELECT v FROM got WHERE name = 'run'),
    'a retried start_workflow returns the first run''s id');
SELECT throws_ok($$SELECT automation.start_workflow((SELECT id FROM wf), '{"x": 2}', 'normal', NULL, 'k-start')$$, 'PW422', NULL,
    'the start''s key with other input is refused with PW422');
SELECT is((SELECT count(*)::int FROM automation.workflow_instances WHERE workflow_id = (SELECT id FROM wf)), 1,
    'one run was started');
INSERT INTO got SELECT 'approval', id::text FROM automation.workflow_approvals
WHERE execution_id = tests.automation_step_id((SELECT v FROM got WHERE name = 'run')::uuid, 'ap');
SELECT tests.as_user('sam');
SELECT lives_ok($$SELECT automation.approve_step((SELECT v FROM got WHERE name = 'approval')::uuid, 'go', 'k-approve')$$, 'sam approves with a key');
SELECT lives_ok($$SELECT automation.approve_step((SELECT v FROM got WHERE name = 'approval')::uuid, 'go', 'k-approve')$$,
    'the retried approval succeeds instead of PW409');
SELECT throws_ok($$SELECT automation.reject_step((SELECT v FROM got WHERE name = 'approval')::uuid, 'go', 'k-approve')$$, 'PW422', NULL,
    'a rejection with the approval''s key is refused with PW422');
SELECT throws_ok($$SELECT automation.approve_step((SELECT v FROM got WHERE name = 'approval')::uuid, 'go')$$, 'PW409', NULL,
    'without the key a decided approval is PW409 as before');
RESET ROLE;
SELECT is(tests.automation_steps((SELECT v FROM got WHERE name = 'run')::uuid), 'start:completed ap:completed ok:completed',
    'the run went down the approved edge once');

-- expiry
UPDATE automation.idempotency_keys SET created_at = now() - interval '25 hours' WHERE idempotency_key = 'k-claim' AND user_id = 'alice';
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT throws_ok($$SELECT flowable.claim_task('t1', 'k-claim')$$, 'PW409', NULL,
    'after pgwf.idempotency_key_hours (24) the key is forgotten: the repeat is a new call');
RESET ROLE;
UPDATE automation.idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = 'bob';
SELECT is((automation.run_maintenance() ->> 'idempotency_keys_purged')::int, 3, 'run_maintenance purges the expired keys (alice''s k-claim and bob''s two)');

SELECT * FROM finish();
ROLLBACK;
