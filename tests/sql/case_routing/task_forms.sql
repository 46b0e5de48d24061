-- Task forms: a task node's data.form (an array of typed fields) is checked when the model is
-- validated, copied into the task's task_data by the engine, and complete_task takes only form
-- data that fills it (PW422 with one problem a line); the run goes on with the data.
BEGIN;
SELECT plan(24);

-- form_problem: the definition
SELECT is(flowable.form_problem(NULL), NULL, 'no form is no problem');
SELECT is(flowable.form_problem('[{"name": "amount", "type": "number", "required": true},
                                  {"name": "kind", "type": "enum", "options": ["a", "b"]},
                                  {"name": "note", "type": "text", "label": "Note"}, {"name": "when", "type": "date"},
                                  {"name": "ok", "type": "boolean"}, {"name": "n", "type": "integer"}, {"name": "s"}]'),
    NULL, 'every field type is accepted; type defaults to string');
SELECT is(flowable.form_problem('{"amount": "number"}'), 'the form must be an array of fields', 'a form is an array');
SELECT is(flowable.form_problem('[{"label": "x"}]'),
    'form field #1 needs a "name" (a non-empty string of at most 100 characters)', 'a field needs a name');
SELECT is(flowable.form_problem('[{"name": "a"}, {"name": "a"}]'),
    'form field #1 a: the name appears more than once', 'names are unique');
SELECT is(flowable.form_problem('[{"name": "a", "type": "money"}]'),
    'form field #1 a: type "money" is not one of string, text, number, integer, boolean, date, enum', 'types are known');
SELECT is(flowable.form_problem('[{"name": "a", "required": "yes"}]'),
    'form field #1 a: "required" must be true or false', 'required is a boolean');
SELECT is(flowable.form_problem('[{"name": "a"}, {"name": "b", "type": "enum", "options": []}]'),
    'form field #2 b: an enum field needs "options", a non-empty array of strings', 'an enum needs options');
SELECT is(flowable.form_problem('[{"name": "a", "options": ["x"]}]'),
    'form field #1 a: only an enum field has "options"', 'only an enum has options');
SELECT is(flowable.form_problem((SELECT jsonb_agg(jsonb_build_object('name', 'f' || i)) FROM generate_series(1, 201) i)),
    'the form has 201 fields; the limit form_fields is 200', 'at most form_fields fields');

-- form_data_problems: the data against it
CREATE TEMP TABLE form AS SELECT '[{"name": "amount", "type": "number", "required": true},
    {"name": "count", "type": "integer"}, {"name": "kind", "type": "enum", "options": ["car", "home"], "required": true},
    {"name": "paid", "type": "boolean"}, {"name": "on", "type": "date"}, {"name": "note", "type": "text"}]'::jsonb AS f;
SELECT is(flowable.form_data_problems((SELECT f FROM form), '{"amount": 12.5, "kind": "car", "count": 3, "paid": false,
                                                                "on": "2024-02-29", "note": "fine", "extra": [1]}'),
    NULL, 'data that fills the form has no problem (fields it does not name pass)');
SELECT is(flowable.form_data_problems((SELECT f FROM form), '{"kind": ""}'),
    E'amount: is required\nkind: is required', 'missing and empty required fields, one line each in form order');
SELECT is(flowable.form_data_problems((SELECT f FROM form),
    '{"amount": "12", "kind": "boat", "count": 1.5, "paid": "yes", "on": "2026-02-30", "note": 4}'),
    E'amount: must be a number\ncount: must be a whole number\nkind: must be one of car, home\npaid: must be true or false\non: must be a date (YYYY-MM-DD)\nnote: must be text',
    'each wrong type is named');
SELECT is(flowable.form_data_problems((SELECT f FROM form), '{"amount": 1, "kind": "home", "on": "31.12.2026"}'),
    'on: must be a date (YYYY-MM-DD)', 'a date is ISO');

-- a drawn model: the form is checked at validation and becomes the task's
SELECT tests.cr_world();
SELECT tests.workflow_admin('modeler');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('modeler');
SELECT throws_ok($$SELECT automation.validate_workflow_graph(tests.automation_graph(
        '[["start", "trigger"], ["review", "task", {"queueName": "Q_CLAIMS", "form": [{"name": "x", "type": "money"}]}], ["done", "end"]]',
        '[["start", "review"], ["review", "done"]]'))$$,
    'PW422', 'task node review: form field #1 x: type "money" is not one of string, text, number, integer, boolean, date, enum',
    'a malformed form is refused at validation, naming the node');
RESET ROLE;

CREATE TEMP TABLE wf AS SELECT tests.automation_deployed(tests.automation_graph(
    '[["start", "trigger"], ["review", "task", {"queueName": "Q_CLAIMS", "candidateGroups": ["CLAIMS_AGENT"], "formKey": "claim-review",
       "form": [{"name": "amount", "type": "number", "required": true}, {"name": "kind", "type": "enum", "options": ["car", "home"]}]}],
      ["big", "end"], ["small", "end"]]',
    '[["start", "review"], ["review", "big", null, {"conditions": [{"field": "amount", "operator": "greater_than", "value": 100}]}],
      ["review", "small", null, {"default": true}]]')) AS id;
CREATE TEMP TABLE r AS SELECT tests.automation_start((SELECT id FROM wf)) AS id;
CREATE TEMP TABLE t AS SELECT task_id, form_key, task_data FROM flowable.workflow_tasks
    WHERE process_instance_id = (SELECT id FROM r)::text;
GRANT SELECT ON r, t TO pgwf_test_app;
SELECT results_eq($$SELECT form_key::text, task_data -> 'form' FROM t$$,
    $$VALUES ('claim-review', '[{"name": "amount", "type": "number", "required": true}, {"name": "kind", "type": "enum", "options": ["car", "home"]}]'::jsonb)$$,
    'the task carries its node''s form key and form');

SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT flowable.claim_task((SELECT task_id FROM t));
SELECT throws_ok($$SELECT flowable.complete_task((SELECT task_id FROM t), NULL, NULL, '{"kind": "boat"}')$$,
    'PW422', format('complete_task: the form data of task %s does not fill its form claim-review', (SELECT task_id FROM t)),
    'data that does not fill the form is refused');
CREATE TEMP TABLE caught (detail text);
DO $$
BEGIN
    PERFORM flowable.complete_task((SELECT task_id FROM t), NULL, NULL, '{"kind": "boat"}');
EXCEPTION WHEN OTHERS THEN
    DECLARE v_detail text;
    BEGIN
        GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
        INSERT INTO caught VALUES (v_detail);
    END;
END;
$$;
SELECT is((SELECT detail FROM caught), E'amount: is required\nkind: must be one of car, home',
    'the refusal''s detail names each field''s problem');
SELECT is((SELECT status::text FROM flowable.workflow_tasks WHERE task_id = (SELECT task_id FROM t)), 'CLAIMED',
    'the refused task is still claimed');
SELECT throws_ok($$SELECT flowable.complete_task((SELECT task_id FROM t), NULL, NULL, '{}')$$,
    'PW422', NULL, 'no data at all does not fill a required field');
SELECT results_eq($$SELECT status::text, form_data FROM flowable.complete_task((SELECT task_id FROM t), 'DONE', NULL, '{"amount": 250, "kind": "car"}')$$,
    $$VALUES ('COMPLETED', '{"amount": 250, "kind": "car"}'::jsonb)$$, 'data that fills the form completes the task');
RESET ROLE;
SELECT is(tests.automation_steps((SELECT id FROM r)), 'start:completed review:completed big:completed',
    'the run goes on with the form data');

-- a task without a form takes any object, as before
SELECT tests.cr_task('plain', 'Q_CLAIMS', ARRAY['CLAIMS_AGENT'], 'CLAIMED', 'alice');
SET LOCAL ROLE pgwf_test_app;
SELECT tests.as_user('alice');
SELECT is((SELECT status::text FROM flowable.complete_task('plain', NULL, NULL, '{"anything": "goes"}')), 'COMPLETED',
    'a task without a form completes with any form data');
SELECT is((SELECT count(*)::integer FROM flowable.task_history WHERE task_id = (SELECT task_id FROM t) AND action_type = 'COMPLETE'), 1,
    'the refusals wrote no history; the completion one row');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
