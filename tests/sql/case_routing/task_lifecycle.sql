-- The task life cycle as the current identity: claim one task, unclaim, complete with outcome,
-- delegate and resolve, reassign by a supervisor, comment, cancel. Every state change writes
-- exactly one history row with the true old/new status and assignee; refusals change nothing.
BEGIN;
SELECT plan(40);

SELECT tests.cr_world();
SELECT tests.cr_task('t1', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('t2', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('t3', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']);
SELECT tests.cr_task('f1', 'Q_FRAUD', ARRAY['FRAUD_AGENT']);
SELECT tests.cr_task('o1', 'Q_OTHER', NULL);
CREATE TEMP VIEW hist AS
SELECT task_id::text, action_type::text, action_by::text, old_status::text, new_status::text,
       old_assignee::text, new_assignee::text
FROM flowable.task_history ORDER BY history_id;
GRANT SELECT ON hist TO PUBLIC;

SET LOCAL ROLE pgwf_test_app;

-- No identity.
SELECT throws_ok($$SELECT flowable.claim_task('t1')$$, 'PW401', NULL, 'claiming without an identity is refused with PW401');

-- claim_task
SELECT tests.as_user('alice');
SELECT results_eq($$SELECT status::text, assignee_id::text, claimed_by::text FROM flowable.claim_task('t1')$$,
    $$VALUES ('CLAIMED', 'alice', 'alice')$$, 'alice claims t1 by its id');
SELECT results_eq($$SELECT * FROM hist WHERE task_id = 't1'$$,
    $$VALUES ('t1', 'CLAIM', 'alice', 'OPEN', 'CLAIMED', NULL, 'alice')$$, 'the claim wrote one CLAIM row');
SELECT throws_ok($$SELECT flowable.claim_task('t1')$$, 'PW409', NULL, 'claiming a CLAIMED task is refused with PW409');
SELECT throws_ok($$SELECT flowable.claim_task('f1')$$, 'PW404', NULL, 'a task in a queue alice cannot see is not found for her');
SELECT throws_ok($$SELECT flowable.claim_task('nope')$$, 'PW404', 'claim_task: task nope not found', 'an unknown task is not found');

SELECT tests.as_user('carol');
SELECT throws_ok($$SELECT flowable.claim_task('t2')$$, 'PW403', NULL,
    'carol sees the claims queue as supervisor but holds no candidate group: PW403');
SELECT tests.as_user('bob');
SELECT throws_ok($$SELECT flowable.complete_task('t1', 'APPROVED')$$, 'PW404', NULL,
    'bob cannot even see alice''s task in the claims queue');

-- complete_task
SELECT tests.as_user('alice');
SELECT throws_ok($$SELECT flowable.complete_task('t2')$$, 'PW409', NULL, 'completing an OPEN task is refused with PW409');
SELECT is((SELECT count(*)::int FROM hist WHERE task_id = 't2'), 0, 'the refused completion wrote no history');
SELECT results_eq(
    $$SELECT status::text, completed_by::text, completed_at IS NOT NULL, outcome::text, outcome_reason, form_data
      FROM flowable.complete_task('t1', 'APPROVED', 'all documents present', '{"amount": 120}')$$,
    $$VALUES ('COMPLETED', 'alice', true, 'APPROVED', 'all documents present', '{"amount": 120}'::jsonb)$$,
    'alice completes t1 with an outcome, a reason and form data');
SELECT results_eq($$SELECT * FROM hist WHERE task_id = 't1' AND action_type = 'COMPLETE'$$,
    $$VALUES ('t1', 'COMPLETE', 'alice', 'CLAIMED', 'COMPLETED', 'alice', 'alice')$$, 'the completion wrote one COMPLETE row');
SELECT is((SELECT action_data ->> 'outcome' FROM flowable.task_history WHERE task_id = 't1' AND action_type = 'COMPLETE'),
    'APPROVED', 'the COMPLETE row carries the outcome');
SELECT throws_ok($$SELECT flowable.complete_task('t1')$$, 'PW409', NULL, 'completing a COMPLETED task is refused');
SELECT throws_ok($$SELECT flowable.claim_task('t1')$$, 'PW409', NULL, 'claiming a COMPLETED task is refused');

-- unclaim_task
SELECT flowable.claim_task('t2');
SELECT results_eq($$SELECT status::text, assignee_id, claimed_by FROM flowable.unclaim_task('t2', 'not mine after all')$$,
    $$VALUES ('OPEN', NULL::varchar, NULL::varchar)$$, 'alice unclaims t2: it is OPEN and unassigned again');
SELECT results_eq($$SELECT * FROM hist WHERE task_id = 't2'$$,
    $$VALUES ('t2', 'CLAIM', 'alice', 'OPEN', 'CLAIMED', NULL, 'alice'), ('t2', 'UNCLAIM', 'alice', 'CLAIMED', 'OPEN', 'alice', NULL)$$,
    'claim then unclaim wrote one row each');
SELECT throws_ok($$SELECT flowable.unclaim_task('t2')$$, 'PW409', NULL, 'unclaiming an OPEN task is refused');

-- delegate_task and resolve_task
SELECT flowable.claim_task('t2');
SELECT throws_ok($$SELECT flowable.delegate_task('t2', 'frank')$$, 'PW404', NULL, 'an inactive user cannot be a delegate');
SELECT throws_ok($$SELECT flowable.delegate_task('t2', 'alice')$$, 'PW400', NULL, 'a holder cannot delegate to herself');
SELECT results_eq($$SELECT status::text, assignee_id::text, claimed_by::text FROM flowable.delegate_task('t2', 'bob', 'please check the invoice')$$,
    $$VALUES ('DELEGATED', 'bob', 'alice')$$, 'alice delegates t2 to bob and stays its owner');
SELECT is((SELECT delegate_to::text FROM flowable.task_history WHERE task_id = 't2' AND action_type = 'DELEGATE'), 'bob',
    'the DELEGATE row names the delegate');
SELECT throws_ok($$SELECT flowable.complete_task('t2')$$, 'PW409', NULL, 'the owner cannot complete a task while it is delegated');
SELECT tests.as_user('bob');
SELECT throws_ok($$SELECT flowable.complete_task('t2')$$, 'PW409', NULL, 'the delegate cannot complete it either: he resolves it');
SELECT results_eq($$SELECT status::text, assignee_id::text, form_data FROM flowable.resolve_task('t2', 'checked', '{"invoice_ok": true}')$$,
    $$VALUES ('CLAIMED', 'alice', '{"invoice_ok": true}'::jsonb)$$, 'bob resolves t2 back to alice with his findings');
SELECT results_eq($$SELECT * FROM hist WHERE task_id = 't2' AND action_type IN ('DELEGATE', 'UPDATE')$$,
    $$VALUES ('t2', 'DELEGATE', 'alice', 'CLAIMED', 'DELEGATED', 'alice', 'bob'), ('t2', 'UPDATE', 'bob', 'DELEGATED', 'CLAIMED', 'bob', 'alice')$$,
    'delegation and resolution wrote one row each with the true assignees');
SELECT throws_ok($$SELECT flowable.resolve_task('t2')$$, 'PW404', NULL, 'once resolved, bob no longer sees the task');

-- add_task_comment
SELECT tests.as_user('alice');
SELECT ok(flowable.add_task_comment('t2', 'waiting for the customer') > 0, 'alice comments on her task');
SELECT results_eq($$SELECT action_type::text, old_status::text, new_status::text, comments FROM flowable.task_history WHERE task_id = 't2' AND action_type = 'COMMENT'$$,
    $$VALUES ('COMMENT', 'CLAIMED', 'CLAIMED', 'waiting for the customer')$$, 'a comment records the unchanged status');
SELECT throws_ok($$SELECT flowable.add_task_comment('t2', '  ')$$, 'PW400', NULL, 'an empty comment is refused');

-- reassign_task (carol supervises the CLAIMS department)
SELECT throws_ok($$SELECT flowable.reassign_task('t3', 'bob')$$, 'PW403', NULL, 'an agent cannot reassign');
SELECT tests.as_user('carol');
SELECT results_eq($$SELECT status::text, assignee_id::text, queue_name::text FROM flowable.reassign_task('t3', 'bob', NULL, 'bob knows this customer')$$,
    $$VALUES ('CLAIMED', 'bob', 'Q_CLAIMS')$$, 'the supervisor gives t3 to bob');
SELECT results_eq($$SELECT status::text, assignee_id, queue_name::text FROM flowable.reassign_task('t3', NULL, 'Q_FRAUD')$$,
    $$VALUES ('OPEN', NULL::varchar, 'Q_FRAUD')$$, 'the supervisor moves t3 to the fraud queue, unassigned');
SELECT results_eq($$SELECT * FROM hist WHERE task_id = 't3'$$,
    $$VALUES ('t3', 'REASSIGN', 'carol', 'OPEN', 'CLAIMED', NULL, 'bob'), ('t3', 'REASSIGN', 'carol', 'CLAIMED', 'OPEN', 'bob', NULL)$$,
    'each reassignment wrote one REASSIGN row');
SELECT throws_ok($$SELECT flowable.reassign_task('t3', NULL, 'Q_OTHER')$$, 'PW403', NULL,
    'a supervisor cannot move a task into a queue outside her department');

-- cancel_task
SELECT results_eq($$SELECT status::text, outcome_reason FROM flowable.cancel_task('t3', 'duplicate case')$$,
    $$VALUES ('CANCELLED', 'duplicate case')$$, 'the supervisor cancels t3');
SELECT throws_ok($$SELECT flowable.cancel_task('t3')$$, 'PW409', NULL, 'cancelling a cancelled task is refused');
SELECT tests.as_user('alice');
SELECT throws_ok($$SELECT flowable.cancel_task('t2')$$, 'PW403', NULL, 'an agent cannot cancel');

RESET ROLE;
SELECT results_eq($$SELECT queue_name::text, current_load FROM flowable.workflow_queues ORDER BY 1$$,
    $$VALUES ('Q_CLAIMS', 1), ('Q_FRAUD', 1), ('Q_OTHER', 1)$$,
    'current_load follows every step (t2 held in claims, f1 in fraud, o1 in other)');
SELECT is((SELECT count(*)::int FROM flowable.task_history), 11, 'eleven actions, eleven history rows');
SELECT * FROM finish();
ROLLBACK;
