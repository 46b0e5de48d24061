-- flowable.bpmn_date_offset: the date helpers of due dates and timers (docs/bpmn.md, "Date
-- helpers"), compiled at deploy into an offset from now; others refused with their position.
BEGIN;
SELECT plan(10);

SELECT is(tests.bpmn_node(tests.bpmn_linear('<userTask id="step" camunda:dueDate="${dateTime().plusDays(2).toDate()}"/>'), 'step') -> 'data',
    '{"label": "step", "dueInMinutes": 2880}'::jsonb,
    'Camunda''s ${dateTime().plusDays(2).toDate()} is a due date two days after the task is created');
SELECT is(tests.bpmn_node(tests.bpmn_linear('<userTask id="step" flowable:dueDate="#{now() + ''PT90M''}"/>'), 'step') #>> '{data,dueInMinutes}',
    '90', 'now() plus a quoted ISO 8601 duration is that duration from now');
SELECT is(flowable.bpmn_date_offset('${dateTime().plusWeeks(1).plusHours(3).plusMinutes(30).plusSeconds(15)}'),
    '{"seconds": 617415}'::jsonb, 'the plus methods chain and add up');
SELECT is(flowable.bpmn_date_offset('${now()}'), '{"seconds": 0}'::jsonb, '${now()} is now');
SELECT is(flowable.bpmn_date_offset('${dueDate}'), NULL, 'a variable is no date helper (it stays a template)');
SELECT is(tests.bpmn_node(tests.bpmn_linear('<intermediateCatchEvent id="step"><timerEventDefinition><timeDate>${now() + ''PT1H''}</timeDate>'
                                           || '</timerEventDefinition></intermediateCatchEvent>'), 'step') #> '{data,timer}',
    '{"duration": "PT3600S"}'::jsonb, 'a date helper in a timer is that duration from the timer''s start');
SELECT throws_like($$SELECT flowable.bpmn_compile(tests.bpmn_linear('<userTask id="step" camunda:dueDate="${dateTime().minusDays(2)}"/>'))$$,
    '%step: dueDate "${dateTime().minusDays(2)}" is outside the date helpers at position 11: ".minusDays(2)" is not a date helper%',
    'a method outside the set is refused with its position');
SELECT throws_like($$SELECT flowable.bpmn_compile(tests.bpmn_linear('<userTask id="step" camunda:dueDate="${now() + ''P2X''}"/>'))$$,
    '%step: dueDate "${now() + ''P2X''}" is outside the date helpers at position 9: P2X is not an ISO 8601 duration%',
    'an added duration that is no ISO 8601 duration is refused with its position');
SELECT throws_like($$SELECT flowable.bpmn_compile(tests.bpmn_linear('<userTask id="step" camunda:dueDate="${dateTime().plusDays(n)}"/>'))$$,
    '%at position 11: ".plusDays(n)" is not a date helper%', 'a plus method takes a whole number, not a variable');
SELECT throws_like($$SELECT flowable.bpmn_compile(tests.bpmn_linear('<boundaryEvent id="late" attachedToRef="step"><timerEventDefinition>'
    || '<timeDuration>${now().plusDays(1).toDate().plusDays(1)}</timeDuration></timerEventDefinition></boundaryEvent>'
    || '<userTask id="step"/>'))$$,
    '%late: the timer "${now().plusDays(1).toDate().plusDays(1)}" is outside the date helpers at position 27%',
    'a timer''s date helper outside the set is refused with its position (nothing after toDate())');

SELECT * FROM finish();
ROLLBACK;
