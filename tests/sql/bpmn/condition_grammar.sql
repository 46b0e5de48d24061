-- flowable.compile_condition_expression: the safe grammar of BPMN conditions.
BEGIN;
SELECT plan(71);

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
SELECT throws_like($$SELECT flowable.compile_condition_expression('${a.trim() == "X"}', 'f')$$,
    '%the call trim at position 1 is not one pgwf reads%', 'any other call is refused with its position');
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
    'PW422', 'condition of element "flow7" is outside the grammar: the "(" at position 1 is not closed',
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

-- arithmetic, ?:, size/length, toUpperCase/toLowerCase: value expressions the evaluator computes
SELECT is(flowable.compile_condition_expression('${a + b * 2 > 10}', 'f'),
    '{"expr": {"op": "+", "args": [{"path": "a"}, {"op": "*", "args": [{"path": "b"}, {"lit": 2}]}]},
      "operator": "greater_than", "value": 10}'::jsonb,
    '* binds tighter than +, and a computed left side is an "expr"');
SELECT is(flowable.compile_condition_expression('${(a + b) * 2 > 10}', 'f') -> 'expr',
    '{"op": "*", "args": [{"op": "+", "args": [{"path": "a"}, {"path": "b"}]}, {"lit": 2}]}'::jsonb,
    'parentheses group arithmetic before precedence');
SELECT is(flowable.compile_condition_expression('${a - b - c == 0}', 'f') -> 'expr',
    '{"op": "-", "args": [{"op": "-", "args": [{"path": "a"}, {"path": "b"}]}, {"path": "c"}]}'::jsonb,
    '- groups from the left');
SELECT is(flowable.compile_condition_expression('${a / b % 4 > 1 - c}', 'f'),
    '{"expr": {"op": "%", "args": [{"op": "/", "args": [{"path": "a"}, {"path": "b"}]}, {"lit": 4}]},
      "operator": "greater_than", "valueExpr": {"op": "-", "args": [{"lit": 1}, {"path": "c"}]}}'::jsonb,
    '/ and % bind like *, comparisons bind looser than arithmetic, a computed right side is a "valueExpr"');
SELECT is(flowable.compile_condition_expression('${-a < -3 && x == - (2 * 3)}', 'f'),
    '{"all": [{"expr": {"op": "neg", "args": [{"path": "a"}]}, "operator": "less_than", "value": -3},
              {"field": "x", "operator": "equals", "value": -6}]}'::jsonb,
    'unary minus negates a variable, and literals fold at compile time');
SELECT is(flowable.compile_condition_expression('${2 + 3 * 4 == 14 && 7 / 2 == 3.5 && 7 % 4 == 3}', 'f'), '{"all": []}'::jsonb,
    'arithmetic on literals is decided at compile time with the usual precedence (/ is exact)');
SELECT is(flowable.compile_condition_expression('${amount div 2 > total mod 3}', 'f'),
    '{"expr": {"op": "/", "args": [{"path": "amount"}, {"lit": 2}]}, "operator": "greater_than",
      "valueExpr": {"op": "%", "args": [{"path": "total"}, {"lit": 3}]}}'::jsonb,
    'the EL words div and mod are / and %');
SELECT is(flowable.compile_condition_expression('${vip ? amount > 100 : amount > 1000}', 'f'),
    '{"any": [{"all": [{"field": "vip", "operator": "equals", "value": true}, {"field": "amount", "operator": "greater_than", "value": 100}]},
              {"all": [{"not": {"field": "vip", "operator": "equals", "value": true}}, {"field": "amount", "operator": "greater_than", "value": 1000}]}]}'::jsonb,
    'a ternary of two conditions is (test && then) || (!test && else)');
SELECT is(flowable.compile_condition_expression('${(vip ? 100 : 1000) < amount}', 'f'),
    '{"expr": {"if": {"field": "vip", "operator": "equals", "value": true}, "then": {"lit": 100}, "else": {"lit": 1000}},
      "operator": "less_than", "valueField": "amount"}'::jsonb,
    'a ternary of two values is an "if" value expression');
SELECT is(flowable.compile_condition_expression('${a ? b ? 1 : 2 : 3 == x}', 'f') -> 'expr',
    '{"if": {"field": "a", "operator": "equals", "value": true},
      "then": {"if": {"field": "b", "operator": "equals", "value": true}, "then": {"lit": 1}, "else": {"lit": 2}},
      "else": {"cond": {"field": "x", "operator": "equals", "value": 3}}}'::jsonb,
    '?: nests to the right and binds looser than comparisons');
SELECT is(flowable.compile_condition_expression('${1 > 2 ? a : b}', 'f'),
    '{"field": "b", "operator": "equals", "value": true}'::jsonb,
    'a ternary whose test is constant is decided at compile time');
SELECT is(flowable.compile_condition_expression('${items.size() > 2 && name.length() <= 5}', 'f'),
    '{"all": [{"expr": {"op": "size", "args": [{"path": "items"}]}, "operator": "greater_than", "value": 2},
              {"expr": {"op": "size", "args": [{"path": "name"}]}, "operator": "less_than_or_equal", "value": 5}]}'::jsonb,
    'size() and length() are the size of a list, object or string');
SELECT is(flowable.compile_condition_expression('${name.toUpperCase() == "BOB" && code.toLowerCase().startsWith("x")}', 'f'),
    '{"all": [{"expr": {"op": "upper", "args": [{"path": "name"}]}, "operator": "equals", "value": "BOB"},
              {"expr": {"op": "lower", "args": [{"path": "code"}]}, "operator": "starts_with", "value": "x"}]}'::jsonb,
    'toUpperCase() and toLowerCase() give values, and a test method applies to them');

SELECT ok(automation.evaluate_condition(flowable.compile_condition_expression('${a + b * 2 > 10}', 'f'), '{"variables": {"a": 1, "b": 5}}')
          AND NOT automation.evaluate_condition(flowable.compile_condition_expression('${a + b * 2 > 10}', 'f'), '{"variables": {"a": 0, "b": 5}}')
          AND automation.evaluate_condition(flowable.compile_condition_expression('${(a + b) * 2 == 12}', 'f'), '{"variables": {"a": 1, "b": 5}}'),
    'arithmetic is computed from the run''s variables with its precedence');
SELECT ok(automation.evaluate_condition(flowable.compile_condition_expression('${-a < -3 && a % 2 == 1 && a / 2 == 2.5}', 'f'), '{"variables": {"a": 5}}'),
    'unary minus, % and exact / are computed at run time');
SELECT ok(NOT automation.evaluate_condition(flowable.compile_condition_expression('${a + 1 > 0}', 'f'), '{"variables": {"a": "x"}}')
          AND NOT automation.evaluate_condition(flowable.compile_condition_expression('${a / b > 0}', 'f'), '{"variables": {"a": 1, "b": 0}}')
          AND NOT automation.evaluate_condition(flowable.compile_condition_expression('${a + 1 > 0}', 'f'), '{"variables": {}}'),
    'arithmetic on a string, a missing variable or a division by zero makes the comparison false, never an error');
SELECT ok(automation.evaluate_condition(flowable.compile_condition_expression('${(vip ? 100 : 1000) < amount}', 'f'), '{"variables": {"vip": true, "amount": 500}}')
          AND NOT automation.evaluate_condition(flowable.compile_condition_expression('${(vip ? 100 : 1000) < amount}', 'f'), '{"variables": {"vip": false, "amount": 500}}')
          AND automation.evaluate_condition(flowable.compile_condition_expression('${vip ? amount > 100 : amount > 1000}', 'f'), '{"variables": {"vip": false, "amount": 5000}}'),
    'a ternary picks its branch at run time');
SELECT ok(automation.evaluate_condition(flowable.compile_condition_expression('${items.size() == 3 && name.length() == 3 && name.toUpperCase() == "BOB" && code.toLowerCase().startsWith("ab")}', 'f'),
                                        '{"variables": {"items": [1, 2, 3], "name": "Bob", "code": "ABC"}}')
          AND NOT automation.evaluate_condition(flowable.compile_condition_expression('${items.size() > 0}', 'f'), '{"variables": {"items": 5}}'),
    'size, length, toUpperCase and toLowerCase are computed at run time (size of a number is nothing)');
SELECT is(automation.condition_problem(flowable.compile_condition_expression('${(vip ? 100 : 1000) < amount.size() * -2 && a.toLowerCase() == "x"}', 'f')), NULL,
    'the compiled value expressions are well formed for the model validation');
SELECT is(automation.condition_problem('{"expr": {"op": "pow", "args": [{"lit": 2}]}, "operator": "equals", "value": 4}'),
    'unknown value expression {"op": "pow", "args": [{"lit": 2}]} (lit, path, cond, if, or op +, -, *, /, %, neg, size, upper, lower)',
    'the model validation refuses a value expression outside the set');

SELECT throws_ok($$SELECT flowable.compile_condition_expression('${a + "x" > 1}', 'f')$$,
    'PW422', 'condition of element "f" is outside the grammar: "+" at position 3 applies to numbers, not to "x"',
    'arithmetic on a string literal is refused with its position');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${(a > 1) * 2 > 1}', 'f')$$,
    'PW422', 'condition of element "f" is outside the grammar: "*" at position 9 applies to numbers, not to a condition',
    'arithmetic on a condition is refused with its position');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${a / 0 > 1 || b}', 'f')$$,
    'PW422', 'condition of element "f" is outside the grammar: "/" at position 3 divides by zero',
    'a division by the literal zero is refused with its position');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${a ? b}', 'f')$$,
    'PW422', 'condition of element "f" is outside the grammar: the "?" at position 3 has no ":"',
    'a ? without : is refused with its position');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${a : b}', 'f')$$,
    'PW422', 'condition of element "f" is outside the grammar: the ":" at position 3 has no "?" before it',
    'a : without ? is refused with its position');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${a + b}', 'f')$$,
    'PW422', 'condition of element "f" is outside the grammar: the value at position 1 is a number or string, not a condition',
    'a computed number is not a condition');
SELECT throws_ok($$SELECT flowable.compile_condition_expression('${items.size(2) > 1}', 'f')$$,
    'PW422', 'condition of element "f" is outside the grammar: size at position 1 takes no arguments',
    'size() takes no arguments');
SELECT throws_like($$SELECT flowable.compile_condition_expression('${' || repeat('a + (', 40) || 'b' || repeat(')', 40) || ' > 1}', 'f')$$,
    '%the operator at position % nests the expression more than 32 deep%',
    'an expression nested more than 32 deep is refused (the bound that keeps compiling linear)');
SELECT lives_ok($$SELECT flowable.compile_condition_expression('${' || repeat('(a == 1 || b.size() > 2) && ', 140) || 'c}', 'f')$$,
    'a long flat condition (a run of && is one "all") compiles');

SELECT * FROM finish();
ROLLBACK;
