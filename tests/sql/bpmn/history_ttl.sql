-- BPMN camunda:historyTimeToLive / flowable:historyTimeToLive on a process set the history
-- time-to-live of the version it deploys (flowable.workflow_definitions.history_ttl_days), in
-- days or as an ISO period of days; anything else is refused with the other problems.
BEGIN;
SELECT plan(6);

SELECT tests.cr_queue('ttl_q');
SELECT tests.workflow_admin('admin1');
SELECT tests.as_user('admin1');

CREATE TEMP TABLE doc AS SELECT
    replace(tests.bpmn_linear('<userTask id="step" pgwf:queue="ttl_q"/>', 'kept'), '<process id="kept"', '<process id="kept" camunda:historyTimeToLive="30"') AS days,
    replace(tests.bpmn_linear('<userTask id="step" pgwf:queue="ttl_q"/>', 'period'), '<process id="period"', '<process id="period" flowable:historyTimeToLive="P7D"') AS period,
    replace(tests.bpmn_linear('<userTask id="step" pgwf:queue="ttl_q"/>', 'bad'), '<process id="bad"', '<process id="bad" camunda:historyTimeToLive="P1M"') AS bad,
    tests.bpmn_linear('<userTask id="step" pgwf:queue="ttl_q"/>', 'plain') AS plain;

SELECT is(flowable.bpmn_compile((SELECT days FROM doc)) #> '{process,historyTimeToLive}', '30'::jsonb,
    'the compiled process carries the time-to-live in days');
SELECT flowable.deploy_bpmn((SELECT days FROM doc)), flowable.deploy_bpmn((SELECT period FROM doc)),
       flowable.deploy_bpmn((SELECT plain FROM doc));
SELECT results_eq($$SELECT process_key::text, history_ttl_days FROM flowable.workflow_definitions
                    WHERE process_key IN ('kept', 'period', 'plain') ORDER BY 1$$,
    $$VALUES ('kept', 30), ('period', 7), ('plain', NULL::integer)$$,
    'a deployed version keeps camunda:historyTimeToLive="30", flowable:historyTimeToLive="P7D", and NULL without one');
SELECT is(flowable.bpmn_compile(flowable.export_bpmn((SELECT workflow_id FROM flowable.workflow_definitions WHERE process_key = 'kept')))
          #> '{process,historyTimeToLive}', '30'::jsonb,
    'an exported version carries its time-to-live (flowable:historyTimeToLive) and compiles back to it');
SELECT ok(NOT (flowable.bpmn_compile((SELECT plain FROM doc)) -> 'process' ? 'historyTimeToLive'),
    'a process without one compiles as before');
SELECT throws_like($$SELECT flowable.deploy_bpmn((SELECT bad FROM doc))$$,
    '%historyTimeToLive "P1M" is not a number of days%', 'a period that is not in days is refused');
SELECT is((SELECT count(*) FROM flowable.workflow_definitions WHERE process_key = 'bad'), 0::bigint, 'and nothing is stored');

SELECT * FROM finish();
ROLLBACK;
