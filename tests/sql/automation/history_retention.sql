-- History retention (docs/operations.md, "History retention"): purge_history removes finished
-- runs and closed process instances older than their history time-to-live, with everything they
-- own, a call-activity tree whole with its root; running runs, young runs and runs without a TTL
-- stay, and no row of theirs is touched. expired_history and the dry run say what would go.
BEGIN;
SELECT plan(21);

SELECT tests.cr_queue('sec_q'), tests.cr_role('security_team', 'sec_q'), tests.cr_user('alice');
SELECT tests.workflow_admin('boss');
-- A: an approval (with its queue task and notification) that fails its run when it expires
CREATE TEMP TABLE wf_a AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["ap", "approval", {"approverRole": "security_team", "recipients": ["sec@example.org"], "expiresInMinutes": 5}],
      ["y", "end"], ["n", "end"]]',
    '[["start", "ap"], ["ap", "y", "approved"], ["ap", "n", "rejected"]]'), NULL, 'retained') AS id;
-- B: ends at once, no TTL of its own
CREATE TEMP TABLE wf_b AS SELECT tests.automation_deployed(tests.automation_graph('[["s", "trigger"], ["e", "end"]]', '[["s", "e"]]'), NULL, 'kept') AS id;
-- P calls Q (which ends at once): a tree of two runs
CREATE TEMP TABLE wf_q AS SELECT tests.automation_deployed(tests.automation_graph('[["s", "trigger"], ["e", "end"]]', '[["s", "e"]]'), NULL, 'called') AS id;
CREATE TEMP TABLE wf_p AS SELECT tests.automation_deployed(tests.automation_graph(
    format('[["s", "trigger"], ["call", "call", {"calledElement": "%s"}], ["e", "end"]]',
           (SELECT workflow_key FROM automation.workflows WHERE id = (SELECT id FROM wf_q)))::jsonb,
    '[["s", "call"], ["call", "e"]]'), NULL, 'caller') AS id;
GRANT SELECT ON wf_a, wf_b, wf_p, wf_q TO PUBLIC;

SELECT set_config('app.current_user_id', 'boss', true);
SELECT is(automation.set_history_ttl((SELECT workflow_key FROM automation.workflows WHERE id = (SELECT id FROM wf_a)), 30), 1,
    'set_history_ttl sets the time-to-live of every version of a key');
SELECT automation.set_history_ttl((SELECT workflow_key FROM automation.workflows WHERE id = (SELECT id FROM wf_p)), 30);
SELECT tests.cr_definition('case_proc');
SELECT automation.set_history_ttl('case_proc', 30);
SELECT throws_ok($$SELECT automation.set_history_ttl('case_proc', -1)$$, 'PW400', NULL, 'a negative time-to-live is refused');
SELECT throws_ok($$SELECT automation.set_history_ttl('no_such_key', 5)$$, 'PW404', NULL, 'an unknown key is refused');
SELECT set_config('app.current_user_id', 'alice', true);
SELECT throws_ok($$SELECT automation.set_history_ttl('case_proc', 5)$$, 'PW403', NULL, 'only a workflow_admin sets a time-to-live');
SELECT set_config('app.current_user_id', '', true);

CREATE TEMP TABLE runs (name text PRIMARY KEY, id uuid);
INSERT INTO runs VALUES ('a_old', tests.automation_start((SELECT id FROM wf_a))),
                        ('a_young', tests.automation_start((SELECT id FROM wf_a))),
                        ('a_live', tests.automation_start((SELECT id FROM wf_a))),
                        ('b_old', tests.automation_start((SELECT id FROM wf_b))),
                        ('p_old', tests.automation_start((SELECT id FROM wf_p)));
INSERT INTO runs SELECT 'q_child', id FROM automation.workflow_instances WHERE parent_instance_id = (SELECT id FROM runs WHERE name = 'p_old');
-- a_old and a_young fail when their approvals expire; their queue tasks are closed
UPDATE automation.workflow_approvals SET expires_at = now() - interval '1 minute'
WHERE execution_id IN (SELECT x.id FROM automation.workflow_executions x JOIN runs r ON r.id = x.instance_id
                       WHERE r.name IN ('a_old', 'a_young'));
SELECT automation.expire_workflow_approvals(), automation.close_orphaned_tasks();
UPDATE automation.workflow_instances SET completed_at = now() - interval '41 days' WHERE id = (SELECT id FROM runs WHERE name = 'a_old');
UPDATE automation.workflow_instances SET completed_at = now() - interval '40 days' WHERE id = (SELECT id FROM runs WHERE name = 'p_old');
UPDATE automation.workflow_instances SET completed_at = now() - interval '10 days' WHERE id = (SELECT id FROM runs WHERE name = 'a_young');
UPDATE automation.workflow_instances SET completed_at = now() - interval '400 days' WHERE id = (SELECT id FROM runs WHERE name = 'b_old');
UPDATE automation.workflow_instances SET started_at = now() - interval '400 days' WHERE id = (SELECT id FROM runs WHERE name = 'a_live');
SELECT results_eq($$SELECT r.name, i.status::text FROM runs r JOIN automation.workflow_instances i ON i.id = r.id ORDER BY r.name$$,
    $$VALUES ('a_live', 'running'), ('a_old', 'failed'), ('a_young', 'failed'), ('b_old', 'completed'), ('p_old', 'completed'), ('q_child', 'completed')$$,
    'the fixture: one running run, five finished ones');

-- case routing without the engine: a closed old instance with a task, its history and variables; a young one; a live one
SELECT tests.cr_process('case-old', 'case_proc', 'starter', 'COMPLETED', now() - interval '50 days', now() - interval '40 days', 7);
SELECT tests.cr_task('t-old', 'sec_q', NULL, 'COMPLETED', NULL, 50, now() - interval '45 days', NULL, 'case-old');
INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, new_status)
VALUES ('t-old', 'case-old', 'COMPLETE', 'SYSTEM', 'COMPLETED');
INSERT INTO flowable.workflow_variables (process_instance_id, variable_name, variable_type, variable_value)
VALUES ('case-old', 'amount', 'INTEGER', '5');
INSERT INTO onecms.case_workflow_mapping (case_id, process_instance_id, workflow_type, initiated_by) VALUES (7, 'case-old', 'routing', 'starter');
SELECT tests.cr_process('case-young', 'case_proc', 'starter', 'COMPLETED', now() - interval '6 days', now() - interval '5 days');
SELECT tests.cr_process('case-live', 'case_proc', 'starter', 'ACTIVE', now() - interval '400 days');
SELECT tests.cr_task('t-live', 'sec_q', NULL, 'OPEN', NULL, 50, now() - interval '400 days', NULL, 'case-live');
INSERT INTO runs VALUES ('case-old', NULL), ('case-young', NULL), ('case-live', NULL);
CREATE TEMP VIEW pids AS SELECT name, coalesce(id::text, name) AS pid FROM runs;

SELECT set_eq($$SELECT r.name FROM automation.expired_history() e JOIN pids r ON r.pid = e.process_instance_id$$,
    $$VALUES ('a_old'), ('p_old'), ('q_child'), ('case-old')$$,
    'expired_history lists the finished runs past their TTL, the child run with its root, and the closed case past its TTL');
SELECT is((SELECT count(DISTINCT root_process_instance_id) FROM automation.expired_history()), 3::bigint,
    'three trees: the call tree counts once');
SELECT is((SELECT root_process_instance_id FROM automation.expired_history() WHERE run_id = (SELECT id FROM runs WHERE name = 'q_child')),
    (SELECT id::text::varchar FROM runs WHERE name = 'p_old'), 'the child run goes with its root, whatever its own age');

-- every row that belongs to a kept run, as text, before the purge
CREATE TEMP TABLE kept_rows AS
    SELECT 'run' AS t, i::text AS r FROM automation.workflow_instances i JOIN pids p ON p.pid = i.id::text
    WHERE p.name IN ('a_young', 'a_live', 'b_old')
    UNION ALL SELECT 'step', x::text FROM automation.workflow_executions x JOIN pids p ON p.pid = x.instance_id::text
    WHERE p.name IN ('a_young', 'a_live', 'b_old')
    UNION ALL SELECT 'approval', a::text FROM automation.workflow_approvals a JOIN automation.workflow_executions x ON x.id = a.execution_id
    JOIN pids p ON p.pid = x.instance_id::text WHERE p.name IN ('a_young', 'a_live', 'b_old')
    UNION ALL SELECT 'notification', n::text FROM automation.workflow_notifications n JOIN pids p ON p.pid = n.instance_id::text
    WHERE p.name IN ('a_young', 'a_live', 'b_old')
    UNION ALL SELECT 'token', k::text FROM automation.workflow_tokens k JOIN pids p ON p.pid = k.instance_id::text
    WHERE p.name IN ('a_young', 'a_live', 'b_old')
    UNION ALL SELECT 'instance', pi::text FROM flowable.process_instances pi JOIN pids p ON p.pid = pi.process_instance_id
    WHERE p.name IN ('a_young', 'a_live', 'b_old', 'case-young', 'case-live')
    UNION ALL SELECT 'task', t::text FROM flowable.workflow_tasks t JOIN pids p ON p.pid = t.process_instance_id
    WHERE p.name IN ('a_young', 'a_live', 'b_old', 'case-young', 'case-live')
    UNION ALL SELECT 'history', h::text FROM flowable.task_history h JOIN pids p ON p.pid = h.process_instance_id
    WHERE p.name IN ('a_young', 'a_live', 'b_old', 'case-young', 'case-live');
SELECT ok((SELECT count(*) FILTER (WHERE t = 'task') >= 3 AND count(*) FILTER (WHERE t = 'approval') = 2
                  AND count(*) FILTER (WHERE t = 'token') >= 1 AND count(*) FILTER (WHERE t = 'history') >= 3 FROM kept_rows),
    'the kept runs own tasks, approvals, tokens and history');
CREATE TEMP TABLE before AS
    SELECT (SELECT count(*) FROM automation.workflow_executions x JOIN pids p ON p.pid = x.instance_id::text
            WHERE p.name IN ('a_old', 'p_old', 'q_child')) AS steps,
           (SELECT count(*) FROM flowable.task_history h JOIN pids p ON p.pid = h.process_instance_id
            WHERE p.name IN ('a_old', 'p_old', 'q_child', 'case-old')) AS history;

CREATE TEMP TABLE dry AS SELECT automation.purge_history(500, true) AS r;
SELECT results_eq($$SELECT (r ->> 'runs')::int, (r ->> 'process_instances')::int, (r ->> 'tasks')::int, (r ->> 'approvals')::int,
                           (r ->> 'notifications')::int >= 1, (r ->> 'variables')::int >= 1, (r ->> 'case_mappings')::int,
                           (r ->> 'steps')::bigint = (SELECT steps FROM before), (r ->> 'task_history')::bigint = (SELECT history FROM before),
                           (r ->> 'dry_run')::boolean FROM dry$$,
    $$VALUES (3, 4, 2, 1, true, true, 1, true, true, true)$$,
    'the dry run counts what would go: three runs, four process instances, their tasks, approval, notifications, variables, steps and history');
SELECT is((SELECT count(*) FROM automation.workflow_instances WHERE id IN (SELECT id FROM runs)), 6::bigint, 'the dry run removes nothing');

SELECT throws_ok($$SELECT automation.purge_history(0)$$, 'PW400', NULL, 'a batch below 1 is refused');
CREATE TEMP TABLE one AS SELECT automation.purge_history(1) AS r;
SELECT is((SELECT (r ->> 'process_instances')::int FROM one), 1, 'a batch of one removes the oldest tree only');
CREATE TEMP TABLE purged AS SELECT automation.purge_history() AS r;
SELECT is((SELECT (p.r ->> 'runs')::int + (o.r ->> 'runs')::int FROM purged p, one o), 3, 'the next batch removes the rest');

SELECT is((SELECT count(*) FROM automation.workflow_instances i JOIN pids p ON p.pid = i.id::text WHERE p.name IN ('a_old', 'p_old', 'q_child'))
          + (SELECT count(*) FROM flowable.process_instances i JOIN pids p ON p.pid = i.process_instance_id WHERE p.name IN ('a_old', 'p_old', 'q_child', 'case-old'))
          + (SELECT count(*) FROM automation.workflow_executions x JOIN pids p ON p.pid = x.instance_id::text WHERE p.name IN ('a_old', 'p_old', 'q_child'))
          + (SELECT count(*) FROM automation.workflow_notifications x JOIN pids p ON p.pid = x.instance_id::text WHERE p.name IN ('a_old', 'p_old', 'q_child'))
          + (SELECT count(*) FROM automation.workflow_tokens x JOIN pids p ON p.pid = x.instance_id::text WHERE p.name IN ('a_old', 'p_old', 'q_child'))
          + (SELECT count(*) FROM flowable.workflow_tasks x JOIN pids p ON p.pid = x.process_instance_id WHERE p.name IN ('a_old', 'p_old', 'q_child', 'case-old'))
          + (SELECT count(*) FROM flowable.task_history x JOIN pids p ON p.pid = x.process_instance_id WHERE p.name IN ('a_old', 'p_old', 'q_child', 'case-old'))
          + (SELECT count(*) FROM flowable.workflow_variables x JOIN pids p ON p.pid = x.process_instance_id WHERE p.name IN ('a_old', 'p_old', 'q_child', 'case-old'))
          + (SELECT count(*) FROM onecms.case_workflow_mapping x WHERE x.process_instance_id = 'case-old'),
    0::bigint, 'nothing of a removed run is left: run, process instance, steps, notifications, tokens, tasks, history, variables, case mapping');
SELECT is((SELECT count(*) FROM automation.workflow_approvals a WHERE NOT EXISTS (SELECT 1 FROM automation.workflow_executions x WHERE x.id = a.execution_id)),
    0::bigint, 'no approval is left without its step');

SELECT set_eq($$
    SELECT 'run', i::text FROM automation.workflow_instances i JOIN pids p ON p.pid = i.id::text WHERE p.name IN ('a_young', 'a_live', 'b_old')
    UNION ALL SELECT 'step', x::text FROM automation.workflow_executions x JOIN pids p ON p.pid = x.instance_id::text WHERE p.name IN ('a_young', 'a_live', 'b_old')
    UNION ALL SELECT 'approval', a::text FROM automation.workflow_approvals a JOIN automation.workflow_executions x ON x.id = a.execution_id
    JOIN pids p ON p.pid = x.instance_id::text WHERE p.name IN ('a_young', 'a_live', 'b_old')
    UNION ALL SELECT 'notification', n::text FROM automation.workflow_notifications n JOIN pids p ON p.pid = n.instance_id::text WHERE p.name IN ('a_young', 'a_live', 'b_old')
    UNION ALL SELECT 'token', k::text FROM automation.workflow_tokens k JOIN pids p ON p.pid = k.instance_id::text WHERE p.name IN ('a_young', 'a_live', 'b_old')
    UNION ALL SELECT 'instance', pi::text FROM flowable.process_instances pi JOIN pids p ON p.pid = pi.process_instance_id
    WHERE p.name IN ('a_young', 'a_live', 'b_old', 'case-young', 'case-live')
    UNION ALL SELECT 'task', t::text FROM flowable.workflow_tasks t JOIN pids p ON p.pid = t.process_instance_id
    WHERE p.name IN ('a_young', 'a_live', 'b_old', 'case-young', 'case-live')
    UNION ALL SELECT 'history', h::text FROM flowable.task_history h JOIN pids p ON p.pid = h.process_instance_id
    WHERE p.name IN ('a_young', 'a_live', 'b_old', 'case-young', 'case-live')$$,
    $$SELECT t, r FROM kept_rows$$,
    'no row of the running, young or TTL-less runs is changed or removed');
SELECT is((SELECT count(*) FROM automation.expired_history()), 0::bigint, 'nothing more is expired');

-- with a database default, runs without a TTL of their own expire too (b_old, 400 days); the running run never
SELECT set_config('pgwf.history_ttl_days', '365', true);
CREATE TEMP TABLE m AS SELECT automation.run_maintenance() AS r;
SELECT results_eq($$SELECT (r #>> '{history_removed,runs}')::int, (r #>> '{history_removed,dry_run}')::boolean, r -> 'errors' FROM m$$,
    $$VALUES (1, false, '[]'::jsonb)$$, 'run_maintenance removes one batch and reports it (history_removed)');
SELECT set_eq($$SELECT p.name FROM pids p WHERE p.name NOT LIKE 'case%'
                AND EXISTS (SELECT 1 FROM automation.workflow_instances i WHERE i.id::text = p.pid)$$,
    $$VALUES ('a_young'), ('a_live')$$, 'the TTL-less run older than the default went; the young and the running runs stay');
SELECT set_config('pgwf.history_ttl_days', '0', true);
UPDATE automation.workflow_instances SET completed_at = now() - interval '1 second' WHERE id = (SELECT id FROM runs WHERE name = 'a_young');
SELECT set_config('app.current_user_id', 'boss', true);
SELECT automation.set_history_ttl((SELECT workflow_key FROM automation.workflows WHERE id = (SELECT id FROM wf_a)), NULL);
SELECT set_eq($$SELECT r.name FROM automation.expired_history() e JOIN pids r ON r.pid = e.process_instance_id$$,
    $$VALUES ('a_young')$$,
    'a default of 0 days lets every finished run without a TTL go (not the young case, whose definition keeps 30 days), never the running one');

SELECT * FROM finish();
ROLLBACK;
