-- flowable.compile_condition_expression: the safe grammar of BPMN conditions.
BEGIN;
SELECT plan(42);

SELECT is(flowable.compile_condition_expression('${input == 1}', 'f'),
    '{"field": "$variables.input", "operator": "equals", "value": 1}'::jsonb,
    'a comparison of a variable with a number becomes one leaf');
SELECT is(flowable.compile_condition_expression('${amount > 100 && region == ''EU''}', 'f'),
    '{"all": [{"field": "amount", "operator": "greater_than", "value": 100},
              {"field": "region", "operator": "equals", "value": "EU"}]}'::jsonb,
    '&& becomes "all" over its operands');
SELECT is(flowable.compile_condition_expression('${input == 3 || input == 1}', 'f'),
    '{"any": [{"field": "$variables.input", "operator": "equals", "value": 3},
              {"field": "$variables.input", "operator": "equals", "value": 1}]}'::jsonb,
    '|| becomes "any" over its operands');
SELECT is(flowable.compile_condition_expression('${a == 1 || b == 2 && c == 3}', 'f'),
    '{"any": [{"field": "a", "operator": "equals", "value": 1},
              {"all": [{"field": "b", "operator": "equals", "value": 2},
                       {"field": "c", "operator": "equals", "value": 3}]}]}'::jsonb,
    '&& binds tighter than ||');
SELECT is(flowable.compile_condition_expression('${(a == 1 || b == 2) && c == 3}', 'f'),
    '{"all": [{"any": [{"field": "a", "operator": "equals", "value": 1},
                       {"field": "b", "operator": "equals", "value": 2}]},
              {"field": "c", "operator": "equals", "value": 3}]}'::jsonb,
    'parentheses group before precedence');
SELECT is(flowable.compile_condition_expression('${a == 1 && b == 2 && c == 3}', 'f') -> 'all',
    '[{"field": "a", "operator": "equals", "value": 1}, {"field": "b", "operator": "equals", "value": 2},
      {"field": "c", "operator": "equals", "value": 3}]'::jsonb,
    'a chain of && flattens into one "all"');
SELECT is(flowable.compile_condition_expression('${!(score >= 2.5)}', 'f'),
    '{"not": {"field": "score", "operator": "greater_than_or_equal", "value": 2.5}}'::jsonb,
    '! becomes "not" and decimals stay numbers');
SELECT is(flowable.compile_condition_expression('${100 < amount}', 'f'),
    '{"field": "amount", "operator": "greater_than", "value": 100}'::jsonb,
    'a literal on the left mirrors the operator');
SELECT is(flowable.compile_condition_expression('${case.owner.region != "EU" }', 'f'),
    '{"field": "case.owner.region", "operator": "not_equals", "value": "EU"}'::jsonb,
    'dotted paths and double-quoted strings are read');
SELECT is(flowable.compile_condition_expression('${x <= -3 && y < 0}', 'f'),
    '{"all": [{"field": "x", "operator": "less_than_or_equal", "value": -3},
              {"field": "y", "operator": "less_than", "value": 0}]}'::jsonb,
    'negative numbers and <= and < are read');
SELECT is(flowable.compile_condition_expression('${approved}', 'f'),
    '{"field": "approved", "operator": "equals", "value": true}'::jsonb,
    'a bare variable means that it is true');
SELECT is(flowable.compile_condition_expression('#{!exit}', 'f'),
    '{"not": {"field": "exit", "operator": "equals", "value": true}}'::jsonb,
    '#{...} is read like ${...} and a negated variable means it is not true');
SELECT is(flowable.compile_condition_expression('${(providedValue eq "go") and not (n gt 2)}', 'f'),
    '{"all": [{"field": "providedValue", "operator": "equals", "value": "go"},
              {"not": {"field": "n", "operator": "greater_than", "value": 2}}]}'::jsonb,
    'the EL word operators eq, gt, and, not are read as their symbols');
SELECT is(flowable.compile_condition_expression('${note == ''it\''s''}', 'f'),
    '{"field": "note", "operator": "equals", "value": "it''s"}'::jsonb,
    'a backslash escapes a quote inside a string');
SELECT is(flowable.compile_condition_expression('${reviewer == null}', 'f'),
    '{"not": {"field": "reviewer", "operator": "exists"}}'::jsonb,
    '== null means the variable is absent');
SELECT is(flowable.compile_condition_expression('${1 == 1}', 'f'), '{"all": []}'::jsonb,
    'a comparison of two literals is decided at compile time (true is an empty "all")');
SELECT is(flowable.compile_condition_expression('${2 < 1 || false}', 'f'), '{"any": []}'::jsonb,
    'false constants fold into an empty "any"');

SELECT is(flowable.compile_condition_expression('${amount > limit}', 'flow7'),
    '{"field": "amount", "operator": "greater_than", "valueField": "limit"}'::jsonb,
    'two variables compare: the right one is read at run time (valueField)');
SELECT ok(automation.evaluate_condition(flowable.compile_condition_expression('${amount > limit}', 'f'), '{"variables": {"amount": 7, "limit": 5}}')
          AND NOT automation.evaluate_condition(flowable.compile_condition_expression('${amount > limit}', 'f'), '{"variables": {"amount": 7}}'),
    'a valueField is read from the run''s data; a missing one makes the comparison false');
SELECT is(flowable.compile_condition_expression('${order.lines[0].qty >= 2 && tags[''first''] == "x"}', 'f'),
    '{"all": [{"field": "order.lines.0.qty", "operator": "greater_than_or_equal", "value": 2},
              {"field": "tags.first", "operator": "equals", "value": "x"}]}'::jsonb,
    'a[0] and a[''key''] index lists and objects (path segments)');
SELECT ok(automation.evaluate_condition(flowable.compile_condition_expression('${lines[1].qty > 1}', 'f'), '{"variables": {"lines": [{"qty": 1}, {"qty": 3}]}}'),
    'an index reads the list item at run time');
SELECT is(flowable.compile_condition_expression(flowable.bpmn_condition_expression(
              flowable.compile_condition_expression('${amount > limit && !empty tags}', 'f')), 'f'),
          flowable.compile_condition_expression('${amount > limit && !empty tags}', 'f'),
    'the export writes two-variable comparisons and empty back as expressions that compile the same');
SELECT is(flowable.compile_condition_expression('${region.startsWith(''EU'') && !tags.isEmpty() && name.equalsIgnoreCase("Bob") && code.endsWith("-7") && note.contains(''urgent'')}', 'f'),
    '{"all": [{"field": "region", "operator": "starts_with", "value": "EU"}, {"not": {"field": "tags", "operator": "empty"}},
              {"field": "name", "operator": "equals_ignore_case", "value": "Bob"}, {"field": "code", "operator": "ends_with", "value": "-7"},
              {"field": "note", "operator": "contains", "value": "urgent"}]}'::jsonb,
    'the string methods on a variable become conditions');
SELECT is(flowable.compile_condition_expression('${var:lowerThan(amount, 100) && var:exists(x) && var:isNotEmpty(list) || variables:eq(state, "done")}', 'f'),
    '{"any": [{"all": [{"field": "amount", "operator": "less_than", "value": 100}, {"field": "x", "operator": "exists"},
                       {"not": {"field": "list", "operator": "empty"}}]},
              {"field": "state", "operator": "equals", "value": "done"}]}'::jsonb,
    'Flowable''s var: and variables: functions become conditions');
SELECT ok(automation.evaluate_condition(flowable.compile_condition_expression('${region.startsWith(''EU'') && name.equalsIgnoreCase("bob")}', 'f'),
                                        '{"variables": {"region": "EU-west", "name": "BOB"}}')
          AND NOT automation.evaluate_condition('{"field": "code", "operator": "ends_with", "value": "-7"}', '{"variables": {"code": "A-8"}}'),
    'starts_with, ends_with and equals_ignore_case compare strings at run time');
SELECT throws_like($$SELECT flowable.compile_condition_expression('${a.toUpperCase() == "X"}', 'f')$$,
    '%the call toUpperCase at position 1 is not one pgwf reads%', 'any other call is refused with its position');
SELECT throws_like($$SELECT flowable.compile_condition_expression('${var:eq(amount, other)}', 'f')$$,
    '%var:eq at position 1 takes one string, number or boolean literal%', 'a function''s value must be a literal');
SELECT throws_like($$SELECT flowable.compile_condition_expression('${lines[i] > 1}', 'f')$$,
    '%the index at position 6 is neither a whole number nor a quoted key%', 'an index that is no number or quoted key is refused with its position');
SELECT is(flowable.compile_condition_expression('amount > 5', 'flow7'),
    '{"field": "amount", "operator": "greater_than", "value": 5}'::jsonb,
    'an expression written without ${...} is the expression itself');
SELECT is(flowable.compile_condition_expression('${empty reason || !empty items}', 'f'),
    '{"any": [{"field": "reason", "operator": "empty"}, {"not": {"field": "items", "operator": "empty"}}]}'::jsonb,
    'empty x and !empty x (or not empty x) test a missing, null or empty value');
SELECT ok(automation.evaluate_condition('{"field": "items", "operator": "empty"}', '{"variables": {"items": []}}')
          AND automation.evaluate_condition('{"field": "nothing", "operator": "empty"}', '{"variables": {}}')
          AND NOT automation.evaluate_condition('{"field": "items", "operator": "empty"}', '{"variables": {"items": [1]}}'),
    'empty holds for an empty list and a missing variable, not for a list with an item');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${empty (a == 1)}', 'f')$$,
    'PW422', 'condition of element "f" is outside the grammar: "empty" applies to a variable, not to a condition',
    'empty of a condition is refused');
SELECT throws_like($$SELECT flowable.compile_condition_expression('${' || repeat('a == 1 && ', 500) || 'b == 2}', 'f')$$,
    '%it is 5009 characters long; a condition is at most 4000%', 'a condition longer than 4000 characters is refused before it is parsed');
SELECT throws_like($$SELECT flowable.bpmn_compile(tests.bpmn_doc('<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="g"/>'
    || '<exclusiveGateway id="g"/><sequenceFlow id="f2" sourceRef="g" targetRef="e"><conditionExpression language="javascript">a &gt; 1</conditionExpression></sequenceFlow>'
    || '<sequenceFlow id="f3" sourceRef="g" targetRef="e"/><endEvent id="e"/>'))$$,
    '%f2: the condition is written in javascript, a script language; pgwf runs no code%', 'a condition in a script language is refused');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${order.total() > 5}', 'flow7')$$,
    'PW422', NULL, 'a method call is refused');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${a == 1; drop table x}', 'flow7')$$,
    'PW422', 'condition of element "flow7" is outside the grammar: unexpected character ";" at position 7',
    'text that is not a token is refused with its position');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${(a == 1}', 'flow7')$$,
    'PW422', 'condition of element "flow7" is outside the grammar: a "(" is not closed',
    'an unclosed parenthesis is refused');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${a == 1)}', 'flow7')$$,
    'PW422', NULL, 'an unmatched closing parenthesis is refused');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${a < 1 < 2}', 'flow7')$$,
    'PW422', NULL, 'chained comparisons are refused');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${a = 1}', 'flow7')$$,
    'PW422', NULL, 'an assignment is refused');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${5 && a}', 'flow7')$$,
    'PW422', 'condition of element "flow7" is outside the grammar: the literal 5 is not a condition',
    'a number used as a condition is refused');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${a > true}', 'flow7')$$,
    'PW422', NULL, 'ordering booleans is refused');

SELECT * FROM finish();
ROLLBACK;
