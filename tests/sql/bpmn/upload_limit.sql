-- One upload limit: flowable.bpmn_max_document_bytes (the setting
-- pgwf.bpmn_max_document_bytes, else 5 MiB) is what bpmn_parse_document enforces
-- and what the API reads for its BPMN body limit (tests/py/test_api_process_cli.py).
BEGIN;
SELECT plan(6);

SELECT is(flowable.bpmn_max_document_bytes(), 5242880, 'without the setting the limit is 5 MiB');
SET LOCAL pgwf.bpmn_max_document_bytes = '4096';
SELECT is(flowable.bpmn_max_document_bytes(), 4096, 'the setting gives the limit');
SELECT throws_ok(format($$SELECT flowable.bpmn_compile(%L)$$,
        tests.bpmn_linear('<userTask id="step"><documentation>' || repeat('x', 5000) || '</documentation></userTask>')),
    'PW422', format('BPMN document refused: it is %s bytes, over the limit of 4096 bytes',
                    octet_length(tests.bpmn_linear('<userTask id="step"><documentation>' || repeat('x', 5000) || '</documentation></userTask>'))),
    'a document over the set limit is refused, and the message says the size and the limit');
SELECT lives_ok($$SELECT flowable.bpmn_compile(tests.bpmn_linear('<userTask id="step"/>'))$$,
    'a document under the set limit compiles');
SET LOCAL pgwf.bpmn_max_document_bytes = 'lots';
SELECT is(flowable.bpmn_max_document_bytes(), 5242880, 'a value that is not a number of bytes counts as unset');
SET LOCAL pgwf.bpmn_max_document_bytes = '999999999';
SELECT is(flowable.bpmn_max_document_bytes(), 5242880, 'a value over 64 MiB counts as unset');

SELECT * FROM finish();
ROLLBACK;
