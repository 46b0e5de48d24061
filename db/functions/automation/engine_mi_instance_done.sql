-- Engine rule: an instance of a multi-instance activity or loop completed (its token ended in
-- the body p_body_id). The body counts it; then, in this order: a completionCondition that
-- holds cancels the instances still open and completes the body; a sequential body starts its
-- next instance (a loop: while its loopCondition holds and loopMaximum allows); a body with no
-- instance left completes, and its token leaves the activity by its outgoing flows. Conditions
-- see the body's counters over the run's variables. With an output collection the body keeps
-- each instance's outputElement under its loopCounter and, when none is left, arrives again
-- for engine_mi_output. Called by engine_end_token with the ended instance token.
CREATE OR REPLACE FUNCTION automation.engine_mi_instance_done(
    p_body_id bigint,
    p_ctx jsonb,
    p_instance automation.workflow_tokens
)
RETURNS text
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_body automation.workflow_tokens;
    v_mi jsonb;
    v_config jsonb;
    v_next integer;
    v_open integer;
    v_ctx jsonb;
    v_item jsonb;
BEGIN
    SELECT * INTO v_body FROM automation.workflow_tokens WHERE id = p_body_id;
    SELECT n.configuration -> 'multiInstance' INTO v_config
    FROM automation.workflow_nodes n JOIN automation.workflow_instances wi ON wi.workflow_id = n.workflow_id
    WHERE wi.id = v_body.instance_id AND n.node_id = v_body.node_id;
    v_mi := v_body.locals -> '$mi';
    v_next := (v_mi ->> 'next')::integer;
    SELECT count(*) INTO v_open FROM automation.workflow_tokens WHERE scope_token_id = p_body_id;
    -- an output collection keeps what this instance contributes under its loopCounter: the
    -- instance's own local, else what its step put out, else the run's variable now
    IF v_config ? 'outputCollection' THEN
        SELECT coalesce(p_instance.locals -> (v_config ->> 'outputElement'),
                        e.output_data #> ('{variables}'::text[] || string_to_array(v_config ->> 'outputElement', '.')),
                        automation.resolve_field(p_ctx, v_config ->> 'outputElement'), 'null'::jsonb)
          INTO v_item
          FROM (SELECT 1) one
          LEFT JOIN automation.workflow_executions e ON e.id = p_instance.execution_id;
        v_mi := jsonb_set(v_mi, '{out}', coalesce(v_mi -> 'out', '{}'::jsonb)
                                         || jsonb_build_object(coalesce(p_instance.locals ->> 'loopCounter', '0'), v_item));
    END IF;
    UPDATE automation.workflow_tokens
    SET locals = locals || jsonb_build_object('nrOfCompletedInstances', (locals ->> 'nrOfCompletedInstances')::integer + 1,
                                              'nrOfActiveInstances', v_open, '$mi', v_mi)
    WHERE id = p_body_id
    RETURNING * INTO v_body;
    v_ctx := jsonb_set(p_ctx, '{variables}', COALESCE(p_ctx -> 'variables', '{}'::jsonb) || automation.engine_token_locals(p_body_id));

    IF v_config ? 'completionCondition' AND automation.evaluate_condition(v_config -> 'completionCondition', v_ctx) THEN
        PERFORM automation.engine_cancel_tokens(
            ARRAY(SELECT t.id FROM automation.workflow_tokens t WHERE t.scope_token_id = p_body_id),
            format('the completion condition of multi-instance %s holds', v_body.node_id));
        v_open := 0;
    ELSIF (v_mi ->> 'sequential')::boolean AND v_open = 0
          AND (CASE WHEN COALESCE((v_mi ->> 'loop')::boolean, false)
                    THEN automation.evaluate_condition(v_config -> 'loopCondition', v_ctx)
                         AND (v_config ->> 'loopMaximum' IS NULL OR v_next < (v_config ->> 'loopMaximum')::integer)
                    ELSE v_next < (v_body.locals ->> 'nrOfInstances')::integer END) THEN
        UPDATE automation.workflow_tokens
        SET locals = jsonb_set(locals, '{$mi,next}', to_jsonb(v_next + 1)) || '{"nrOfActiveInstances": 1}'::jsonb
            || CASE WHEN COALESCE((v_mi ->> 'loop')::boolean, false)
                    THEN jsonb_build_object('nrOfInstances', v_next + 1) ELSE '{}'::jsonb END
        WHERE id = p_body_id
        RETURNING * INTO v_body;
        PERFORM automation.engine_mi_instance_token(v_body, v_config, v_next);
        RETURN NULL;
    END IF;
    IF v_open = 0 AND v_config ? 'outputCollection' THEN
        -- the body arrives once more: engine_advance hands the collection to the run's
        -- variables (engine_mi_output) with the run's data in hand, then the body leaves
        UPDATE automation.workflow_tokens SET state = 'arrived', locals = jsonb_set(locals, '{$mi,collected}', 'true')
        WHERE id = p_body_id;
        RETURN NULL;
    ELSIF v_open = 0 THEN
        UPDATE automation.workflow_tokens SET locals = NULL WHERE id = p_body_id;
        RETURN automation.engine_complete_scope(p_body_id, p_ctx);
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.engine_mi_instance_done(bigint, jsonb, automation.workflow_tokens) IS
    'Counts a completed instance of a multi-instance body; a met completionCondition cancels the open instances, a sequential body starts its next instance (a loop while its condition holds), and a body with none left completes and leaves the activity (with an output collection: after engine_mi_output). Each instance''s outputElement is kept by loopCounter.';

REVOKE ALL ON FUNCTION automation.engine_mi_instance_done(bigint, jsonb, automation.workflow_tokens) FROM PUBLIC;
