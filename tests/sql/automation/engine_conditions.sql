-- Conditions are data: evaluate_condition's operators, paths into input, step outputs and
-- variables, all/any/not, and the "never an error" rule; fill_template's {{path}} filling.
BEGIN;
SELECT plan(22);

CREATE TEMP TABLE ctx AS SELECT '{
  "input": {"asset": {"name": "web01", "groups": ["production", "critical"]}, "cvss": 9.8},
  "steps": {"scan": {"found": 3, "ids": ["a", "b"]}},
  "variables": {"cvss": 9.8, "severity": "high", "tags": ["pci", "ext"], "note": "urgent fix", "zero": 0}
}'::jsonb AS c;

SELECT ok(automation.evaluate_condition('{"field": "cvss", "operator": "greater_than", "value": 7}', c), 'greater_than compares numbers') FROM ctx;
SELECT ok(NOT automation.evaluate_condition('{"field": "cvss", "operator": "less_than_or_equal", "value": 9.7}', c), 'less_than_or_equal is false when greater') FROM ctx;
SELECT ok(automation.evaluate_condition('{"field": "cvss", "operator": "greater_than_or_equal", "value": 9.8}', c), 'greater_than_or_equal holds on equality') FROM ctx;
SELECT ok(automation.evaluate_condition('{"field": "zero", "operator": "less_than", "value": 1}', c), 'less_than compares numbers') FROM ctx;
SELECT ok(automation.evaluate_condition('{"field": "severity", "operator": "equals", "value": "high"}', c), 'equals compares strings') FROM ctx;
SELECT ok(automation.evaluate_condition('{"field": "cvss", "operator": "equals", "value": 9.80}', c), 'equals compares numbers by value') FROM ctx;
SELECT ok(automation.evaluate_condition('{"field": "severity", "operator": "not_equals", "value": "low"}', c), 'not_equals') FROM ctx;
SELECT ok(automation.evaluate_condition('{"field": "tags", "operator": "contains", "value": "pci"}', c), 'contains: an array holds the value') FROM ctx;
SELECT ok(automation.evaluate_condition('{"field": "note", "operator": "contains", "value": "fix"}', c), 'contains: a string contains the value') FROM ctx;
SELECT ok(automation.evaluate_condition('{"field": "severity", "operator": "in", "value": ["high", "critical"]}', c), 'in: the value array holds the field') FROM ctx;
SELECT ok(automation.evaluate_condition('{"field": "$input.asset.groups", "operator": "contains", "value": "critical"}', c), '$input.* paths read the start input') FROM ctx;
SELECT ok(automation.evaluate_condition('{"field": "$steps.scan.found", "operator": "equals", "value": 3}', c), '$steps.<node>.* paths read a step''s output') FROM ctx;
SELECT ok(automation.evaluate_condition('{"field": "$input.asset.name", "operator": "exists"}', c), 'exists holds for a present path') FROM ctx;
SELECT ok(NOT automation.evaluate_condition('{"field": "nothing.here", "operator": "exists"}', c), 'exists fails for a missing path') FROM ctx;
SELECT ok(NOT automation.evaluate_condition('{"field": "nothing", "operator": "not_equals", "value": 1}', c), 'a missing field is false even for not_equals') FROM ctx;
SELECT ok(NOT automation.evaluate_condition('{"field": "severity", "operator": "greater_than", "value": 3}', c), 'a string compared with a number is false, not an error') FROM ctx;
SELECT ok(automation.evaluate_condition('{"all": [{"field": "cvss", "operator": "greater_than", "value": 7}, {"any": [{"field": "severity", "operator": "equals", "value": "low"}, {"not": {"field": "zero", "operator": "equals", "value": 1}}]}]}', c),
    'all/any/not combine conditions') FROM ctx;
SELECT ok(automation.evaluate_condition('{"all": []}', c) AND NOT automation.evaluate_condition('{"any": []}', c), 'an empty all holds and an empty any fails') FROM ctx;

SELECT is(automation.fill_template('{"to": "{{$input.asset.name}}", "n": "{{$steps.scan.found}}", "text": "CVSS {{cvss}} on {{ $input.asset.name }}!", "keep": 5}', c),
    '{"to": "web01", "n": 3, "text": "CVSS 9.8 on web01!", "keep": 5}'::jsonb,
    'fill_template fills placeholders; a lone placeholder keeps its JSON type') FROM ctx;
SELECT is(automation.fill_template('["{{tags}}", "x{{missing}}y"]', c), '[["pci", "ext"], "xy"]'::jsonb,
    'fill_template walks arrays; a missing path becomes empty text') FROM ctx;
SELECT is(automation.condition_problem('{"field": "a", "operator": "equals"}'), 'the equals condition on field a has no "value"',
    'condition_problem names a leaf without value');
SELECT is(automation.condition_problem('{"all": [{"field": "a", "operator": "exists"}, {"any": "x"}]}'), '"all"/"any" must hold an array of conditions',
    'condition_problem looks inside combinations');

SELECT * FROM finish();
ROLLBACK;
