-- A user task's form properties become its form (flowable.bpmn_task_forms): Flowable's and
-- Activiti's formProperty (enum values as options) and Camunda's formData/formField (required
-- by constraint), typed as pgwf's form fields; they are no longer listed as ignored. A start
-- event's form properties stay descriptive. The deployed task carries the form and
-- complete_task holds the data to it.
BEGIN;
SELECT plan(8);

CREATE TEMP TABLE doc AS SELECT tests.bpmn_doc(
    '<startEvent id="start"><extensionElements><flowable:formProperty id="reason" name="Why"/></extensionElements></startEvent>'
    || '<sequenceFlow id="f1" sourceRef="start" targetRef="lead"/>'
    || '<userTask id="lead" name="Provide lead" flowable:candidateGroups="sales" flowable:formKey="lead-form"><extensionElements>'
    || '<flowable:formProperty id="customerName" name="Customer name" type="string" required="true"/>'
    || '<flowable:formProperty id="potentialProfit" name="Potential profit" type="long"/>'
    || '<flowable:formProperty id="rate" type="double"/>'
    || '<flowable:formProperty id="since" type="date" datePattern="yyyy-MM-dd"/>'
    || '<flowable:formProperty id="ok" name="Profitable?" type="enum" required="true">'
    || '<flowable:value id="true" name="Yes"/><flowable:value id="false" name="No"/></flowable:formProperty>'
    || '<flowable:formProperty id="shown" name="Shown only" writable="false"/>'
    || '<flowable:formProperty id="custom" type="user"/>'
    || '</extensionElements></userTask>'
    || '<sequenceFlow id="f2" sourceRef="lead" targetRef="check"/>'
    || '<userTask id="check" camunda:candidateGroups="sales"><extensionElements><camunda:formData>'
    || '<camunda:formField id="amount" label="Amount" type="long"><camunda:validation><camunda:constraint name="required"/></camunda:validation></camunda:formField>'
    || '<camunda:formField id="urgent" label="Urgent" type="boolean"/>'
    || '</camunda:formData></extensionElements></userTask>'
    || '<sequenceFlow id="f3" sourceRef="check" targetRef="end"/><endEvent id="end"/>') AS xml;

SELECT is(tests.bpmn_node((SELECT xml FROM doc), 'lead') #> '{data,form}',
    '[{"name": "customerName", "label": "Customer name", "type": "string", "required": true},
      {"name": "potentialProfit", "label": "Potential profit", "type": "integer"},
      {"name": "rate", "type": "number"}, {"name": "since", "type": "date"},
      {"name": "ok", "label": "Profitable?", "type": "enum", "required": true, "options": ["true", "false"]},
      {"name": "custom", "type": "string"}]'::jsonb,
    'Flowable form properties become the task''s form: typed, required, enum values as options; a read-only one is left out');
SELECT is(tests.bpmn_node((SELECT xml FROM doc), 'lead') #>> '{data,formKey}', 'lead-form', 'the form key is kept beside it');
SELECT is(tests.bpmn_node((SELECT xml FROM doc), 'check') #> '{data,form}',
    '[{"name": "amount", "label": "Amount", "type": "integer", "required": true}, {"name": "urgent", "label": "Urgent", "type": "boolean"}]'::jsonb,
    'Camunda form fields become the task''s form, required by constraint');
SELECT is(tests.bpmn_node((SELECT xml FROM doc), 'start') #> '{data,form}', NULL, 'a start event has no form');
SELECT is((SELECT jsonb_agg(jsonb_build_array(i ->> 'kind', i ->> 'in')) FROM jsonb_array_elements(flowable.bpmn_compile((SELECT xml FROM doc)) -> 'ignored') i),
    '[["flowable:formProperty", "start"]]'::jsonb,
    'only the start event''s form property is listed as ignored');

-- deployed and run: the task carries the form and is completed only with data that fills it
SELECT tests.cr_world();
SELECT tests.cr_role('sales', 'Q_CLAIMS', 'CLAIMS');
SELECT tests.cr_grant('alice', 'sales');
SELECT tests.workflow_admin('modeler');
SELECT tests.as_user('modeler');
SELECT flowable.deploy_process((SELECT xml FROM doc), p_default_queue => 'Q_CLAIMS');
SELECT tests.as_user('alice');
CREATE TEMP TABLE pi AS SELECT flowable.start_process('p') AS id;
CREATE TEMP TABLE t AS SELECT task_id, task_data FROM flowable.workflow_tasks WHERE process_instance_id = (SELECT id FROM pi);
SELECT is((SELECT jsonb_array_length(task_data -> 'form') FROM t), 6, 'the task of the deployed process carries its form');
SELECT flowable.claim_task((SELECT task_id FROM t));
SELECT throws_ok($$SELECT flowable.complete_task((SELECT task_id FROM t), NULL, NULL, '{"customerName": "ACME", "ok": "maybe"}')$$,
    'PW422', NULL, 'data that does not fill the form is refused');
SELECT is((SELECT status::text FROM flowable.complete_task((SELECT task_id FROM t), NULL, NULL,
                                                          '{"customerName": "ACME", "ok": "true", "potentialProfit": 100}')),
    'COMPLETED', 'data that fills it completes the task');

SELECT * FROM finish();
ROLLBACK;
