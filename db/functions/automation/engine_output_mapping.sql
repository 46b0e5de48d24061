-- Engine rule: the output mapping of a worker step (a node's "outputs": {variable: template},
-- what BPMN camunda:inputOutput outputParameters compile to), applied when the step completes.
-- Each {{path}} is read from what the step put out over the run's variables: its output's keys,
-- then its "variables", win over the run's; for Camunda's http-connector the http connector's
-- status and body are also statusCode and response. Returns the variables to set (a path that
-- is missing gives null). Called by engine_finish_step.
CREATE OR REPLACE FUNCTION automation.engine_output_mapping(p_config jsonb, p_output jsonb, p_ctx jsonb)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
    SELECT automation.fill_template(p_config -> 'outputs', jsonb_set(p_ctx, '{variables}',
        COALESCE(p_ctx -> 'variables', '{}'::jsonb)
        || CASE WHEN p_config #>> '{implementation,connectorId}' = 'http-connector'
                THEN jsonb_strip_nulls(jsonb_build_object('statusCode', p_output -> 'status', 'response', p_output -> 'body'))
                ELSE '{}'::jsonb END
        || (COALESCE(p_output, '{}'::jsonb) - 'variables')
        || CASE WHEN jsonb_typeof(p_output -> 'variables') = 'object' THEN p_output -> 'variables' ELSE '{}'::jsonb END));
$$;

COMMENT ON FUNCTION automation.engine_output_mapping(jsonb, jsonb, jsonb) IS
    'The variables a worker step''s output mapping ("outputs": {variable: template}) sets when the step completes: templates filled from the step''s output (its keys and "variables"; statusCode/response for the http-connector) over the run''s variables.';

REVOKE ALL ON FUNCTION automation.engine_output_mapping(jsonb, jsonb, jsonb) FROM PUBLIC;
