-- flowable.bpmn_loop: a multi-instance output collection (loopDataOutputRef with
-- outputDataItem) compiles into data.multiInstance outputCollection/outputElement.
BEGIN;
SELECT plan(5);

SELECT is(tests.bpmn_node(tests.bpmn_linear(
    '<userTask id="step"><multiInstanceLoopCharacteristics>'
    || '<loopDataInputRef>reviewers</loopDataInputRef><loopDataOutputRef>verdicts</loopDataOutputRef>'
    || '<inputDataItem name="reviewer"/><outputDataItem name="verdict"/></multiInstanceLoopCharacteristics></userTask>'), 'step') #> '{data,multiInstance}',
    '{"sequential": false, "collection": "reviewers", "elementVariable": "reviewer", "outputCollection": "verdicts", "outputElement": "verdict"}'::jsonb,
    'loopDataOutputRef is the output collection and outputDataItem''s name the element each instance contributes');
SELECT is(tests.bpmn_node(tests.bpmn_linear(
    '<task id="step"><multiInstanceLoopCharacteristics isSequential="true">'
    || '<loopDataInputRef>input_data</loopDataInputRef><loopDataOutputRef>output_data</loopDataOutputRef>'
    || '<inputDataItem id="input_item" name="input item"/><outputDataItem id="output_item" name="output item"/>'
    || '</multiInstanceLoopCharacteristics></task>'), 'step') #> '{data,multiInstance}',
    '{"sequential": true, "collection": "input_data", "elementVariable": "input_item", "outputCollection": "output_data", "outputElement": "output_item"}'::jsonb,
    'a data item whose name is no variable name ("output item") is known by its id');
SELECT throws_like($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
    '<userTask id="step"><multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality>'
    || '<loopDataOutputRef>out</loopDataOutputRef></multiInstanceLoopCharacteristics></userTask>'))$$,
    '%step: a multi-instance output collection needs both a loopDataOutputRef and an outputDataItem%',
    'a loopDataOutputRef without an outputDataItem is refused naming the element');
SELECT throws_like($$SELECT flowable.bpmn_compile(tests.bpmn_linear(
    '<userTask id="step"><multiInstanceLoopCharacteristics><loopCardinality>2</loopCardinality>'
    || '<loopDataOutputRef>a.b</loopDataOutputRef><outputDataItem name="x"/></multiInstanceLoopCharacteristics></userTask>'))$$,
    '%step: the output collection "a.b" is not a variable name%',
    'an output collection that is no variable name is refused');
SELECT is(tests.bpmn_node(tests.bpmn_linear(
    '<userTask id="step"><multiInstanceLoopCharacteristics><loopCardinality>${n}</loopCardinality>'
    || '<loopDataOutputRef>${scores}</loopDataOutputRef><outputDataItem name="score"/></multiInstanceLoopCharacteristics></userTask>'), 'step')
    #>> '{data,multiInstance,outputCollection}',
    'scores', 'the output collection may be written as ${name}');

SELECT * FROM finish();
ROLLBACK;
