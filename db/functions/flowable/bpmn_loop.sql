-- The data.multiInstance of a BPMN activity with multiInstanceLoopCharacteristics or
-- standardLoopCharacteristics (docs/bpmn.md, "Multi-instance and loops"): isSequential;
-- loopCardinality (a number or ${variable}); a collection (flowable:/camunda:collection or
-- loopDataInputRef: a variable, written plain or as ${...}) with its element variable
-- (elementVariable or inputDataItem's name, else its id); an output collection (loopDataOutputRef,
-- with outputDataItem's name, else its id, as the variable each instance contributes);
-- completionCondition; for a standard loop its
-- loopCondition, loopMaximum and testBefore. Conditions go through the condition grammar.
-- Raises PW422 for what the engine cannot run (half an output collection, no cardinality or
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
    v_element text := nullif(btrim(p_el ->> 'mi_element'), '');
    v_out_count integer := coalesce((p_el ->> 'mi_output_count')::integer, 0);
    v_out_ref text := regexp_replace(flowable.bpmn_value_template(p_el ->> 'mi_output_ref'), '^\{\{(.*)\}\}$', '\1');
    v_out_item text := CASE WHEN btrim(p_el ->> 'mi_output_item') ~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' THEN btrim(p_el ->> 'mi_output_item')
                            ELSE nullif(btrim(coalesce(p_el ->> 'mi_output_item_id', p_el ->> 'mi_output_item')), '') END;
BEGIN
    -- an inputDataItem whose name is no variable name ("input item") is known by its id
    IF v_element !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' AND btrim(p_el ->> 'mi_input_item_id') ~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' THEN
        v_element := btrim(p_el ->> 'mi_input_item_id');
    END IF;
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
    -- the output collection: loopDataOutputRef names the list, outputDataItem (its name, or its
    -- id when the name is no variable name) the variable each instance contributes
    IF v_out_count > 0 AND (v_out_ref IS NULL OR v_out_item IS NULL) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = 'a multi-instance output collection needs both a loopDataOutputRef and an outputDataItem';
    ELSIF v_out_ref IS NOT NULL AND v_out_ref !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('the output collection "%s" is not a variable name', p_el ->> 'mi_output_ref');
    ELSIF v_out_item IS NOT NULL AND v_out_item !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('the output data item "%s" is not a variable name', coalesce(p_el ->> 'mi_output_item', p_el ->> 'mi_output_item_id'));
    END IF;
    IF v_card IS NOT NULL AND v_coll IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'a multi-instance activity has either a loopCardinality or a collection, not both';
    ELSIF v_card IS NULL AND v_coll IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'a multi-instance activity needs a loopCardinality or a collection';
    ELSIF v_card IS NOT NULL AND v_card !~ '^[0-9]{1,6}$' AND flowable.bpmn_value_template(v_card) NOT LIKE '{{%}}' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('loopCardinality "%s" is neither a whole number nor ${variable}', v_card);
    ELSIF v_coll IS NOT NULL AND regexp_replace(v_coll, '^\{\{(.*)\}\}$', '\1') !~ '^\$?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('the collection "%s" is not a variable', p_el ->> 'mi_collection');
    ELSIF v_element IS NOT NULL AND v_element !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('the element variable "%s" is not a variable name', p_el ->> 'mi_element');
    END IF;
    RETURN jsonb_strip_nulls(jsonb_build_object(
        'sequential', btrim(coalesce(p_el ->> 'mi_sequential', 'false')) = 'true',
        'loopCardinality', CASE WHEN v_card ~ '^[0-9]{1,6}$' THEN to_jsonb(v_card::integer) ELSE to_jsonb(flowable.bpmn_value_template(v_card)) END,
        'collection', regexp_replace(v_coll, '^\{\{(.*)\}\}$', '\1'),
        'elementVariable', v_element,
        'outputCollection', v_out_ref,
        'outputElement', v_out_item,
        'completionCondition', CASE WHEN nullif(btrim(p_el ->> 'mi_completion', E' \t\r\n'), '') IS NOT NULL
                                    THEN flowable.compile_condition_expression(p_el ->> 'mi_completion', v_id) END));
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_loop(jsonb) IS
    'The graph data.multiInstance of a BPMN activity''s multiInstanceLoopCharacteristics (isSequential, loopCardinality, collection, elementVariable, outputCollection, outputElement, completionCondition) or standardLoopCharacteristics (loopCondition, loopMaximum, testBefore); PW422 for half an output collection, a name that is no variable or a count outside the grammar.';

REVOKE ALL ON FUNCTION flowable.bpmn_loop(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.bpmn_loop(jsonb) TO pgwf_app;
