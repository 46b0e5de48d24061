-- flowable.deploy_process and version management: checksum, versions,
-- is_active, deletion guarded by running instances, nothing stored on refusal.
BEGIN;
SELECT plan(26);

CREATE TEMP TABLE ids (name text PRIMARY KEY, id bigint);
GRANT ALL ON ids TO PUBLIC;
CREATE TEMP VIEW v1_doc AS SELECT tests.bpmn_linear(
    '<userTask id="step" name="Review" flowable:candidateGroups="REVIEWER" pgwf:queue="review"/>', 'claimReview') AS xml;
CREATE TEMP VIEW v2_doc AS SELECT tests.bpmn_linear(
    '<userTask id="step" name="Review again" flowable:candidateGroups="REVIEWER" pgwf:queue="review"/>', 'claimReview') AS xml;
GRANT SELECT ON v1_doc, v2_doc TO PUBLIC;
SELECT tests.cr_queue('review');
SELECT tests.cr_queue('archive_review');
SELECT tests.cr_role('REVIEWER', 'review');
SELECT tests.cr_role('ARCHIVIST', 'archive_review');
SELECT tests.cr_role('NO_QUEUE');
SELECT tests.workflow_admin('admin1'), tests.workflow_admin('admin2');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('');
SELECT throws_ok($$SELECT flowable.deploy_process((SELECT xml FROM v1_doc), 'admin1')$$,
    'PW401', 'deploy_process needs an identity (app.current_user_id)',
    'deploying without an identity is refused, even naming a deployer');
SELECT tests.as_user('admin1');
INSERT INTO ids SELECT 'v1', flowable.deploy_process((SELECT xml FROM v1_doc));
SELECT is(flowable.deploy_process((SELECT xml FROM v1_doc)), (SELECT id FROM ids WHERE name = 'v1'),
    'deploying the same XML again returns the deployed version');
SELECT throws_ok($$SELECT flowable.deploy_process((SELECT xml FROM v2_doc), 'admin2')$$,
    'PW403', 'deploy_process: user admin1 cannot deploy as user admin2', 'nobody deploys in another person''s name');
SELECT tests.as_user('admin2');
INSERT INTO ids SELECT 'v2', flowable.deploy_process((SELECT xml FROM v2_doc), 'admin2');
INSERT INTO ids SELECT 'v3', flowable.deploy_process(replace((SELECT xml FROM v2_doc), 'Review again', 'Third'), 'admin2',
                                                     p_activate => false);
SELECT tests.as_user('admin1');
RESET ROLE;

SELECT results_eq($$SELECT process_key::text, process_version, is_active, deployed_by::text, business_app::text
                    FROM flowable.workflow_definitions WHERE process_key = 'claimReview' ORDER BY process_version$$,
    $$VALUES ('claimReview', 1, false, 'admin1', 'onecms'), ('claimReview', 2, true, 'admin2', 'onecms'),
             ('claimReview', 3, false, 'admin2', 'onecms')$$,
    'changed XML makes the next version; the newest activated one is the one new starts use');
SELECT is((SELECT bpmn_xml FROM flowable.workflow_definitions WHERE workflow_id = (SELECT id FROM ids WHERE name = 'v1')),
    (SELECT xml FROM v1_doc), 'the deployed XML is kept as it was sent');
SELECT is((SELECT metadata ->> 'checksum' FROM flowable.workflow_definitions WHERE workflow_id = (SELECT id FROM ids WHERE name = 'v1')),
    encode(sha256(convert_to((SELECT xml FROM v1_doc), 'UTF8')), 'hex'), 'the checksum is the SHA-256 of the XML');
SELECT is((SELECT w.workflow_data FROM automation.workflows w JOIN flowable.workflow_definitions d ON d.deployment_id = w.id::text
           WHERE d.workflow_id = (SELECT id FROM ids WHERE name = 'v2')),
    flowable.bpmn_to_graph((SELECT xml FROM v2_doc)), 'each version points at a workflows row holding its compiled graph');
SELECT results_eq($$SELECT n.node_id::text, n.node_type::text, n.label::text, n.configuration
                    FROM automation.workflow_nodes n JOIN flowable.workflow_definitions d ON d.deployment_id = n.workflow_id::text
                    WHERE d.workflow_id = (SELECT id FROM ids WHERE name = 'v2') ORDER BY n.node_id$$,
    $$VALUES ('end', 'end', 'end', '{"terminate": false}'::jsonb),
             ('start', 'trigger', 'start', '{"triggerType": "manual"}'::jsonb),
             ('step', 'task', 'Review again', '{"queueName": "review", "candidateGroups": ["REVIEWER"]}'::jsonb)$$,
    'the graph''s nodes are rows of workflow_nodes');
SELECT is((SELECT count(*)::integer FROM automation.workflow_edges e JOIN flowable.workflow_definitions d ON d.deployment_id = e.workflow_id::text
           WHERE d.workflow_id = (SELECT id FROM ids WHERE name = 'v2')), 2, 'the graph''s flows are rows of workflow_edges');
SELECT is((SELECT count(DISTINCT w.workflow_key)::integer FROM automation.workflows w
           JOIN flowable.workflow_definitions d ON d.deployment_id = w.id::text WHERE d.process_key = 'claimReview'), 1,
    'all versions of a process are versions of one workflow model');
SELECT is((SELECT description FROM automation.workflows w JOIN flowable.workflow_definitions d ON d.deployment_id = w.id::text
           WHERE d.workflow_id = (SELECT id FROM ids WHERE name = 'v1')), NULL, 'a process without documentation has no description');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('admin1');
SELECT is(flowable.bpmn_activate_version('claimReview', 3), (SELECT id FROM ids WHERE name = 'v3'), 'a version can be activated');
RESET ROLE;
SELECT is((SELECT array_agg(process_version ORDER BY process_version) FROM flowable.workflow_definitions
           WHERE process_key = 'claimReview' AND is_active), ARRAY[3], 'activating a version deactivates the others');
SET LOCAL ROLE pgwf_test_app;
SELECT is(flowable.deploy_process(replace((SELECT xml FROM v2_doc), 'Review again', 'Third')),
    (SELECT id FROM ids WHERE name = 'v3'), 'redeploying the newest XML creates no version');
SELECT throws_ok($$SELECT flowable.bpmn_activate_version('claimReview', 9)$$, 'PW404', 'process claimReview has no version 9',
    'activating a missing version is refused');

-- deletion
RESET ROLE;
INSERT INTO flowable.process_instances (process_instance_id, workflow_id, started_by, status)
VALUES ('pi-running', (SELECT id FROM ids WHERE name = 'v1'), 'admin1', 'ACTIVE');
SET LOCAL ROLE pgwf_test_app;
SELECT throws_ok($$SELECT flowable.bpmn_delete_version('claimReview', 1)$$, 'PW409',
    'process claimReview version 1 has 1 running instances and cannot be deleted',
    'a version with a running instance cannot be deleted');
RESET ROLE;
UPDATE flowable.process_instances SET status = 'COMPLETED', completed_at = now() WHERE process_instance_id = 'pi-running';
SET LOCAL ROLE pgwf_test_app;
SELECT throws_ok($$SELECT flowable.bpmn_delete_version('claimReview', 1)$$, 'PW409', NULL,
    'a version whose finished instances refer to it is kept');
SELECT lives_ok($$SELECT flowable.bpmn_delete_version('claimReview', 3)$$, 'a version without instances can be deleted');
RESET ROLE;
SELECT results_eq($$SELECT process_version, is_active FROM flowable.workflow_definitions WHERE process_key = 'claimReview' ORDER BY 1$$,
    $$VALUES (1, false), (2, true)$$, 'deleting the active version activates the newest remaining one');
SELECT is((SELECT count(*)::integer FROM automation.workflows w WHERE w.workflow_data = flowable.bpmn_to_graph(
              replace((SELECT xml FROM v2_doc), 'Review again', 'Third'))), 0, 'the deleted version''s graph is deleted with it');

-- queues: named by pgwf:queue, else the first candidate group's role queue
SET LOCAL ROLE pgwf_test_app;
INSERT INTO ids SELECT 'byRole', flowable.deploy_process(tests.bpmn_linear(
    '<userTask id="step" flowable:candidateGroups="NO_QUEUE, ARCHIVIST, REVIEWER"/>', 'queueByRole'));
RESET ROLE;
SELECT is((SELECT n.configuration ->> 'queueName' FROM automation.workflow_nodes n
           JOIN flowable.workflow_definitions d ON d.deployment_id = n.workflow_id::text
           WHERE d.workflow_id = (SELECT id FROM ids WHERE name = 'byRole') AND n.node_id = 'step'),
    'archive_review', 'a task without pgwf:queue goes to the queue of its first candidate group that has one');
SET LOCAL ROLE pgwf_test_app;
SELECT throws_ok($$SELECT flowable.deploy_process(tests.bpmn_linear('<userTask id="step" flowable:candidateGroups="NO_QUEUE"/>', 'noQueue'))$$,
    'PW422', 'BPMN process refused: step: userTask names no queue (pgwf:queue) and none of its candidate groups (NO_QUEUE) is a role with a queue',
    'a task whose queue cannot be found is refused at deploy');
INSERT INTO ids SELECT 'byDefault', flowable.deploy_process(
    tests.bpmn_linear('<userTask id="step" flowable:candidateGroups="NO_QUEUE"/>', 'defaultQueue'), p_default_queue => 'review');
RESET ROLE;
SELECT is((SELECT n.configuration ->> 'queueName' FROM automation.workflow_nodes n
           JOIN flowable.workflow_definitions d ON d.deployment_id = n.workflow_id::text
           WHERE d.workflow_id = (SELECT id FROM ids WHERE name = 'byDefault') AND n.node_id = 'step'),
    'review', 'p_default_queue takes a task whose queue cannot be found otherwise');
SET LOCAL ROLE pgwf_test_app;
SELECT throws_ok($$SELECT flowable.deploy_process(tests.bpmn_linear('<userTask id="step" pgwf:queue="nowhere"/>', 'badQueue'))$$,
    'PW422', 'BPMN process refused: step: queue nowhere does not exist', 'a task naming a missing queue is refused at deploy');
RESET ROLE;

-- a refused document stores nothing
CREATE TEMP TABLE before AS SELECT (SELECT count(*) FROM flowable.workflow_definitions) AS defs,
                                   (SELECT count(*) FROM automation.workflows) AS workflows,
                                   (SELECT count(*) FROM automation.workflow_nodes) AS nodes;
SET LOCAL ROLE pgwf_test_app;
SELECT throws_ok($$SELECT flowable.deploy_process(tests.bpmn_linear('<complexGateway id="step"/>', 'bad'))$$,
    'PW422', 'BPMN process bad refused: unsupported elements: step:complexGateway', 'an unsupported document is refused at deploy');
RESET ROLE;
SELECT is((SELECT (count(*), (SELECT count(*) FROM automation.workflows), (SELECT count(*) FROM automation.workflow_nodes))::text
           FROM flowable.workflow_definitions), (SELECT (defs, workflows, nodes)::text FROM before),
    'nothing is stored for a refused document');

SELECT * FROM finish();
ROLLBACK;
