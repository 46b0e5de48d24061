-- Bad BPMN input: each document is refused with PW422 and a message that says
-- what is wrong and where. (Deployment tests check that nothing is stored.)
BEGIN;
SELECT plan(16);

SELECT throws_ok($$SELECT flowable.bpmn_compile('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"></definitions>')$$,
    'PW422', 'BPMN document refused: it is not well-formed XML (line 1: Opening and ending tag mismatch: process line 1 and definitions)',
    'malformed XML is refused with the parser''s first complaint');
SELECT throws_ok($$SELECT flowable.bpmn_compile('just text')$$,
    'PW422', NULL, 'text that is not XML is refused');
SELECT throws_ok($$SELECT flowable.bpmn_compile(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        || '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"><documentation>&xxe;</documentation></process></definitions>')$$,
    'PW422', 'BPMN document refused: it contains a DOCTYPE declaration',
    'an external entity is refused before parsing, so no file is read');
SELECT throws_ok($$SELECT flowable.bpmn_compile(
        '<!doctype lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><definitions/>')$$,
    'PW422', 'BPMN document refused: it contains a DOCTYPE declaration',
    'an entity expansion bomb is refused whatever the case of DOCTYPE');
SELECT throws_ok($$SELECT flowable.bpmn_compile('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><!ENTITY x "y"></definitions>')$$,
    'PW422', 'BPMN document refused: it contains an ENTITY declaration',
    'a stray ENTITY declaration is refused before parsing');
SELECT throws_ok(format($$SELECT flowable.bpmn_compile(%L)$$,
        tests.bpmn_linear('<userTask id="step"><documentation>' || repeat('0123456789', 1048576) || '</documentation></userTask>')),
    'PW422', NULL, 'a 10 MB document is refused');
SELECT throws_like(format($$SELECT flowable.bpmn_compile(%L)$$,
        tests.bpmn_linear('<userTask id="step"><documentation>' || repeat('0123456789', 1048576) || '</documentation></userTask>')),
    'BPMN document refused: it is % bytes, over the limit of 5242880 bytes',
    'the size refusal names the size and the limit');
SELECT throws_ok($$SELECT flowable.bpmn_compile('<bpmn:definitions xmlns:bpmn="http://example.org/not-bpmn"/>')$$,
    'PW422', 'BPMN document refused: the root element is <definitions>, not BPMN 2.0 <definitions>',
    'a root outside the BPMN namespace is refused');
SELECT throws_ok($$SELECT flowable.bpmn_compile('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>')$$,
    'PW422', 'BPMN document refused: it has no <process> element', 'a document without a process is refused');

SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_doc(
        '<userTask id="t"/><sequenceFlow id="f" sourceRef="t" targetRef="e"/><endEvent id="e"/>', 'noStart'))$$,
    'PW422', 'BPMN process noStart refused: process noStart has no start event',
    'a process with no start event is refused');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="ghost"/><endEvent id="e"/>'))$$,
    'PW422', 'BPMN process p refused: f1: sequenceFlow goes to missing element ghost',
    'a flow to a missing element is refused naming the flow and the element');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="gw"/><exclusiveGateway id="gw"/>'))$$,
    'PW422', 'BPMN process p refused: gw: exclusiveGateway has no outgoing sequence flow',
    'a gateway with no outgoing flow is refused');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="gw"/><exclusiveGateway id="gw"/>'
        || '<sequenceFlow id="f2" sourceRef="gw" targetRef="e"><conditionExpression>${execution.getVariable("x") == 1}</conditionExpression></sequenceFlow>'
        || '<endEvent id="e"/>'))$$,
    'PW422', 'BPMN process p refused: f2: condition of element "f2" is outside the grammar: the call getVariable at position 1 is not one pgwf reads (methods: equals, equalsIgnoreCase, contains, startsWith, endsWith, isEmpty; var: eq, notEquals, lowerThan, lowerThanOrEquals, greaterThan, greaterThanOrEquals, contains, exists, isEmpty, isNotEmpty)',
    'a condition outside the grammar is refused naming the flow');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="a"/>'
        || '<complexGateway id="a"/>'
        || '<sequenceFlow id="f2" sourceRef="a" targetRef="b"/>'
        || '<userTask id="b"><multiInstanceLoopCharacteristics isSequential="true"/></userTask>'
        || '<boundaryEvent id="c" attachedToRef="b"><compensateEventDefinition/></boundaryEvent>'
        || '<sequenceFlow id="f3" sourceRef="b" targetRef="e"/><endEvent id="e"/>'))$$,
    'PW422', 'BPMN process p refused: unsupported elements: a:complexGateway, c:boundaryEvent[compensateEventDefinition]; b: a multi-instance activity needs a loopCardinality or a collection',
    'every unsupported element is listed by id, not only the first');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_doc(
        '<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="g"/><exclusiveGateway id="g" default="f9"/>'
        || '<sequenceFlow id="f2" sourceRef="g" targetRef="e"><conditionExpression>${a ==}</conditionExpression></sequenceFlow>'
        || '<endEvent id="e"/><endEvent id="e"/>'))$$,
    'PW422', 'BPMN process p refused: e: the id is used by 2 elements; g: the default flow f9 is not an outgoing sequence flow of this element; f2: condition of element "f2" is outside the grammar: the expression ends where a variable or literal is expected',
    'all problems of one document are reported together');
SELECT throws_ok($$SELECT flowable.bpmn_compile(tests.bpmn_doc('<startEvent id="s"/>', 'a', '<process id="b"/>'))$$,
    'PW422', 'BPMN document refused: it has 2 processes (a, b), 2 of them executable; name the one to compile (p_process_id)',
    'compiling a document with two executable processes needs the one to compile named');

SELECT * FROM finish();
ROLLBACK;
