-- Engine rule: a token arrives at an activity with data.multiInstance (BPMN 2.0, 13.3.7). The
-- token becomes the body of the activity: it waits in state scope with the body's counters
-- (nrOfInstances, nrOfActiveInstances, nrOfCompletedInstances) as its locals, and instance
-- tokens start inside it at the same node: all at once (parallel) or one after the other
-- (sequential). How many: loopCardinality, or one per item of the list the collection path
-- names (each instance sees its item as elementVariable). A standard loop (loopCondition)
-- runs one instance at a time while its condition holds, at most loopMaximum times; testBefore
-- checks it before the first. No instance at all: the token leaves at once (with an output
-- collection, once engine_mi_output has set it to the empty list). Called by
-- engine_advance; instances end in engine_mi_instance_done.
CREATE OR REPLACE FUNCTION automation.engine_visit_multi_instance(
    p_run automation.workflow_instances,
    p_token automation.workflow_tokens,
    p_node automation.workflow_nodes,
    p_ctx jsonb
)
RETURNS text
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_mi jsonb := p_node.configuration -> 'multiInstance';
    v_loop boolean := v_mi ? 'loopCondition';
    v_sequential boolean := v_loop OR COALESCE((v_mi ->> 'sequential')::boolean, false);
    v_items jsonb;
    v_count jsonb;
    v_total integer;
    v_body automation.workflow_tokens;
BEGIN
    IF v_loop THEN
        v_total := NULL;
        IF COALESCE((v_mi ->> 'testBefore')::boolean, false) AND NOT automation.evaluate_condition(v_mi -> 'loopCondition', p_ctx) THEN
            v_total := 0;
        END IF;
    ELSIF v_mi ? 'collection' THEN
        v_items := automation.resolve_field(p_ctx, v_mi ->> 'collection');
        IF v_items IS NULL OR jsonb_typeof(v_items) = 'null' THEN
            v_items := '[]'::jsonb;
        ELSIF jsonb_typeof(v_items) <> 'array' THEN
            RETURN format('node %s: the multi-instance collection %s is a %s, not a list', p_node.node_id,
                          v_mi ->> 'collection', jsonb_typeof(v_items));
        END IF;
        v_total := jsonb_array_length(v_items);
    ELSE
        v_count := automation.fill_template(v_mi -> 'loopCardinality', p_ctx);
        IF jsonb_typeof(v_count) = 'string' AND v_count #>> '{}' ~ '^\s*[0-9]{1,6}\s*$' THEN
            v_count := to_jsonb(btrim(v_count #>> '{}')::integer);
        END IF;
        IF jsonb_typeof(v_count) IS DISTINCT FROM 'number' OR (v_count #>> '{}')::numeric NOT BETWEEN 0 AND 100000
           OR (v_count #>> '{}')::numeric <> trunc((v_count #>> '{}')::numeric) THEN
            RETURN format('node %s: loopCardinality %s is not a whole number from 0 to 100000', p_node.node_id, COALESCE(v_count::text, 'null'));
        END IF;
        v_total := (v_count #>> '{}')::integer;
    END IF;

    IF v_total = 0 AND v_mi ? 'outputCollection' THEN
        -- no instance: the output collection is the empty list (engine_mi_output), then the token leaves
        UPDATE automation.workflow_tokens
        SET state = 'arrived', locals = '{"$mi": {"collected": true}, "nrOfInstances": 0}'::jsonb
        WHERE id = p_token.id;
        RETURN NULL;
    ELSIF v_total = 0 THEN
        RETURN automation.engine_leave(p_token.id, p_run.workflow_id, p_node.node_id, p_node.node_type,
                                       COALESCE(p_node.configuration, '{}'::jsonb), NULL, p_ctx);
    END IF;
    UPDATE automation.workflow_tokens
    SET state = 'scope', execution_id = NULL,
        locals = jsonb_build_object(
            '$mi', jsonb_strip_nulls(jsonb_build_object('sequential', v_sequential, 'loop', v_loop, 'items', v_items, 'next', 1)),
            'nrOfInstances', COALESCE(v_total, 1),
            'nrOfActiveInstances', CASE WHEN v_sequential THEN 1 ELSE v_total END,
            'nrOfCompletedInstances', 0)
    WHERE id = p_token.id
    RETURNING * INTO v_body;
    IF v_sequential THEN
        PERFORM automation.engine_mi_instance_token(v_body, v_mi, 0);
    ELSE
        PERFORM automation.engine_mi_instance_token(v_body, v_mi, i) FROM generate_series(0, v_total - 1) i;
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.engine_visit_multi_instance(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) IS
    'Enters a multi-instance activity or loop: the token becomes its body (counters as locals) and its instances start inside it, all at once or one by one; with no instance the token leaves at once.';

REVOKE ALL ON FUNCTION automation.engine_visit_multi_instance(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) FROM PUBLIC;
