-- Auto-assignment gives a task offered to particular groups only to one of its candidates: a
-- holder of the queue's auto-assigning role who also holds, now, one of the task's candidate
-- groups is one, even when that group is another role.
BEGIN;
SELECT plan(3);

SELECT tests.cr_world();
SELECT tests.cr_role('SENIOR', NULL, 'CLAIMS');
SELECT tests.cr_user('gina', 'CLAIMS');
SELECT tests.cr_grant('gina', 'CLAIMS_AGENT');
SELECT tests.cr_grant('alice', 'SENIOR');
SELECT tests.cr_grant('dave', 'SENIOR');  -- dave's CLAIMS_AGENT grant has expired
SELECT tests.cr_assignment('Q_CLAIMS', 'CLAIMS_AGENT');
SELECT tests.cr_process('p1');

CREATE TEMP TABLE made AS
SELECT flowable.create_task('p1', 'senior_review', 'Senior review', 'Q_CLAIMS', ARRAY['SENIOR']) AS task_id
UNION ALL
SELECT flowable.create_task('p1', 'senior_review', 'Senior review', 'Q_CLAIMS', ARRAY['SENIOR']);

SELECT results_eq(
    $$SELECT t.status::text, t.assignee_id::text FROM flowable.workflow_tasks t JOIN made USING (task_id)$$,
    $$VALUES ('CLAIMED', 'alice'), ('CLAIMED', 'alice')$$,
    'both SENIOR tasks go to alice, the one CLAIMS_AGENT holding SENIOR');
CREATE TEMP TABLE plain AS SELECT flowable.create_task('p1', 'review', 'Review', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT']) AS task_id;
SELECT ok((SELECT t.assignee_id IN ('alice', 'gina') FROM flowable.workflow_tasks t JOIN plain USING (task_id)),
    'a task offered to the auto-assigning role itself still goes to one of its holders');
SELECT is((SELECT count(*)::int FROM flowable.workflow_tasks WHERE assignee_id IN ('gina', 'dave') AND task_definition_key = 'senior_review'), 0,
    'neither gina (no SENIOR) nor dave (no valid CLAIMS_AGENT grant) got a SENIOR task');

SELECT * FROM finish();
ROLLBACK;
