-- Engine helper: a waiting step (worker step, approval, task) is done. Records its output,
-- merges its "variables" into the run's, applies the node's output mapping ("outputs"), moves the step's token on by the outcome (approval decisions,
-- task form data in edge conditions) and advances the run in the same transaction. When the
-- run is paused the tokens wait for resume; when it has stopped the step is only recorded.
-- Called by complete_step, the queue task trigger and expire_workflow_approvals.
CREATE OR REPLACE FUNCTION automation.engine_finish_step(
    p_execution_id uuid,
    p_output jsonb,
    p_outcome varchar DEFAULT NULL
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_instance_id uuid;
    v_run automation.workflow_instances;
    v_step automation.workflow_executions;
    v_node automation.workflow_nodes;
    v_ctx jsonb;
    v_token_id bigint;
    v_problem text;
    v_output jsonb := COALESCE(p_output, '{}'::jsonb);
    v_batch text;
BEGIN
    -- lock order everywhere: the run, then its step
    SELECT instance_id INTO v_instance_id FROM automation.workflow_executions WHERE id = p_execution_id;
    SELECT * INTO v_run FROM automation.workflow_instances WHERE id = v_instance_id FOR UPDATE;
    SELECT * INTO v_step FROM automation.workflow_executions WHERE id = p_execution_id FOR UPDATE;
    IF v_step.status NOT IN ('pending', 'running', 'waiting_approval') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('step %s (node %s) is %s, not open', p_execution_id, v_step.node_id, v_step.status);
    END IF;

    -- a running run is advanced below and refreshes its progress once then; others refresh here
    IF v_run.status = 'running' THEN
        v_batch := current_setting('pgwf.engine_batch', true);
        PERFORM set_config('pgwf.engine_batch', v_run.id::text, true);
    END IF;
    PERFORM automation.engine_complete_step_row(p_execution_id, v_output);

    IF v_run.status NOT IN ('running', 'paused') THEN
        RETURN;
    END IF;

    v_ctx := COALESCE(v_run.execution_context, '{}'::jsonb);
    v_ctx := jsonb_set(v_ctx || jsonb_build_object('steps', COALESCE(v_ctx -> 'steps', '{}'::jsonb)),
                       ARRAY['steps', v_step.node_id::text], v_output);
    IF jsonb_typeof(v_output -> 'variables') = 'object' THEN
        v_ctx := jsonb_set(v_ctx, '{variables}', COALESCE(v_ctx -> 'variables', '{}'::jsonb) || (v_output -> 'variables'));
    END IF;
    SELECT * INTO v_node FROM automation.workflow_nodes
    WHERE workflow_id = v_run.workflow_id AND node_id = v_step.node_id;
    -- the node's output mapping (BPMN outputParameters) sets variables from what the step put out
    IF jsonb_typeof(v_node.configuration -> 'outputs') = 'object' THEN
        v_ctx := jsonb_set(v_ctx, '{variables}', COALESCE(v_ctx -> 'variables', '{}'::jsonb)
                                                 || automation.engine_output_mapping(v_node.configuration, v_output, v_ctx));
    END IF;
    -- the token waiting in the step leaves the node by the edges the outcome takes
    SELECT id INTO v_token_id FROM automation.workflow_tokens
    WHERE instance_id = v_run.id AND execution_id = p_execution_id;
    IF v_token_id IS NOT NULL THEN
        v_problem := automation.engine_leave(v_token_id, v_run.workflow_id, v_step.node_id, v_node.node_type,
                                             COALESCE(v_node.configuration, '{}'::jsonb), p_outcome, v_ctx);
    END IF;
    UPDATE automation.workflow_instances SET execution_context = v_ctx WHERE id = v_run.id;
    IF v_problem IS NOT NULL THEN
        PERFORM set_config('pgwf.engine_batch', COALESCE(v_batch, ''), true);
        PERFORM automation.engine_fail_run(v_run.id, v_problem);
        RETURN;
    END IF;
    PERFORM automation.engine_advance(v_run.id);
    PERFORM set_config('pgwf.engine_batch', COALESCE(v_batch, ''), true);
END;
$$;

COMMENT ON FUNCTION automation.engine_finish_step(uuid, jsonb, varchar) IS
    'Completes an open step with its output (its "variables" merged into the run''s, then the node''s "outputs" mapping applied), routes by the outcome and advances the run. PW409 when the step is not open.';

REVOKE ALL ON FUNCTION automation.engine_finish_step(uuid, jsonb, varchar) FROM PUBLIC;
