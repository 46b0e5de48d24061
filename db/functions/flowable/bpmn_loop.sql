-- The data.multiInstance of a BPMN activity with multiInstanceLoopCharacteristics or
-- standardLoopCharacteristics (docs/bpmn.md, "Multi-instance and loops"): isSequential;
-- loopCardinality (a number or ${variable}); a collection (flowable:/camunda:collection or
-- loopDataInputRef: a variable, written plain or as ${...}) with its element variable
-- (elementVariable or inputDataItem's name); completionCondition; for a standard loop its
-- loopCondition, loopMaximum and testBefore. Conditions go through the condition grammar.
-- Raises PW422 for what the engine cannot run (an output collection, no cardinality or
-- collection, a cardinality or collection outside the grammar). p_el is the element as
-- flowable.bpmn_compile reads it. Called by flowable.bpmn_compile.
CREATE OR REPLACE FUNCTION flowable.bpmn_loop(p_el jsonb)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_id text := coalesce(p_el ->> 'id', '?');
    v_card text := nullif(btrim(p_el ->> 'mi_cardinality', E' \t\r\n'), '');
    v_coll text := flowable.bpmn_value_template(p_el ->> 'mi_collection');
    v_max text := nullif(btrim(p_el ->> 'loop_maximum'), '');
BEGIN
    IF coalesce((p_el ->> 'has_loop')::boolean, false) THEN
        IF nullif(btrim(p_el ->> 'loop_condition', E' \t\r\n'), '') IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'standardLoopCharacteristics needs a loopCondition';
        END IF;
        IF v_max IS NOT NULL AND v_max !~ '^[1-9][0-9]{0,5}$' THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('loopMaximum "%s" is not a whole number from 1', v_max);
        END IF;
        RETURN jsonb_strip_nulls(jsonb_build_object(
            'loopCondition', flowable.compile_condition_expression(p_el ->> 'loop_condition', v_id),
            'loopMaximum', v_max::integer,
            'testBefore', CASE WHEN btrim(p_el ->> 'loop_test_before') = 'true' THEN true END));
    END IF;
    IF coalesce((p_el ->> 'mi_output')::boolean, false) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = 'a multi-instance output collection (loopDataOutputRef, outputDataItem) is not supported yet';
    END IF;
    IF v_card IS NOT NULL AND v_coll IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'a multi-instance activity has either a loopCardinality or a collection, not both';
    ELSIF v_card IS NULL AND v_coll IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'a multi-instance activity needs a loopCardinality or a collection';
    ELSIF v_card IS NOT NULL AND v_card !~ '^[0-9]{1,6}$' AND flowable.bpmn_value_template(v_card) NOT LIKE '{{%}}' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('loopCardinality "%s" is neither a whole number nor ${variable}', v_card);
    ELSIF v_coll IS NOT NULL AND regexp_replace(v_coll, '^\{\{(.*)\}\}$', '\1') !~ '^\$?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('the collection "%s" is not a variable', p_el ->> 'mi_collection');
    ELSIF nullif(btrim(p_el ->> 'mi_element'), '') IS NOT NULL AND btrim(p_el ->> 'mi_element') !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('the element variable "%s" is not a variable name', p_el ->> 'mi_element');
    END IF;
    RETURN jsonb_strip_nulls(jsonb_build_object(
        'sequential', btrim(coalesce(p_el ->> 'mi_sequential', 'false')) = 'true',
        'loopCardinality', CASE WHEN v_card ~ '^[0-9]{1,6}$' THEN to_jsonb(v_card::integer) ELSE to_jsonb(flowable.bpmn_value_template(v_card)) END,
        'collection', regexp_replace(v_coll, '^\{\{(.*)\}\}$', '\1'),
        'elementVariable', nullif(btrim(p_el ->> 'mi_element'), ''),
        'completionCondition', CASE WHEN nullif(btrim(p_el ->> 'mi_completion', E' \t\r\n'), '') IS NOT NULL
                                    THEN flowable.compile_condition_expression(p_el ->> 'mi_completion', v_id) END));
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_loop(jsonb) IS
    'The graph data.multiInstance of a BPMN activity''s multiInstanceLoopCharacteristics (isSequential, loopCardinality, collection, elementVariable, completionCondition) or standardLoopCharacteristics (loopCondition, loopMaximum, testBefore); PW422 for an output collection or a count outside the grammar.';

REVOKE ALL ON FUNCTION flowable.bpmn_loop(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.bpmn_loop(jsonb) TO pgwf_app;
