-- Engine rule: a multi-instance activity with an output collection whose instances are all
-- done (or that had none): the list of what each instance contributed (its outputElement, in
-- loopCounter order; null for an instance a completion condition cancelled) becomes the run
-- variable outputCollection, and the body's locals end. Returns the run's data with the list.
-- Called by engine_advance when the body arrives again (engine_mi_instance_done).
CREATE OR REPLACE FUNCTION automation.engine_mi_output(
    p_body automation.workflow_tokens,
    p_config jsonb,
    p_ctx jsonb
)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_out jsonb := coalesce(p_body.locals #> '{$mi,out}', '{}'::jsonb);
    v_list jsonb;
BEGIN
    SELECT coalesce(jsonb_agg(coalesce(v_out -> i::text, 'null'::jsonb) ORDER BY i), '[]'::jsonb)
      INTO v_list
      FROM generate_series(0, coalesce((p_body.locals ->> 'nrOfInstances')::integer, 0) - 1) AS i;
    UPDATE automation.workflow_tokens SET locals = NULL, state = 'scope' WHERE id = p_body.id;
    RETURN jsonb_set(p_ctx, '{variables}',
                     coalesce(p_ctx -> 'variables', '{}'::jsonb) || jsonb_build_object(p_config ->> 'outputCollection', v_list));
END;
$$;

COMMENT ON FUNCTION automation.engine_mi_output(automation.workflow_tokens, jsonb, jsonb) IS
    'Sets a multi-instance activity''s outputCollection variable to the list of its instances'' outputElement values in loopCounter order (null for a cancelled instance) and ends the body''s locals; returns the run data.';

REVOKE ALL ON FUNCTION automation.engine_mi_output(automation.workflow_tokens, jsonb, jsonb) FROM PUBLIC;
