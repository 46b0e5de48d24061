-- Engine entry: starts a run of a deployed workflow version. Creates the workflow_instances row
-- and the flowable.process_instances row with the same id, puts a token on the start trigger
-- node and advances in the same transaction. Called by start_workflow (people) and by the
-- schedule, event and webhook triggers, and by call activities (engine_visit_call, which names
-- the calling run and its call step); not granted to anyone itself.
CREATE OR REPLACE FUNCTION automation.engine_start_run(
    p_workflow_id uuid,
    p_input jsonb,
    p_priority varchar,
    p_triggered_by varchar,
    p_trigger_source varchar,
    p_business_key varchar DEFAULT NULL,
    p_start_node varchar DEFAULT NULL,
    p_parent_instance_id uuid DEFAULT NULL,
    p_parent_execution_id uuid DEFAULT NULL
)
RETURNS uuid
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_wf automation.workflows;
    v_definition_id bigint;
    v_start varchar;
    v_id uuid := gen_random_uuid();
    v_input jsonb := COALESCE(p_input, '{}'::jsonb);
    v_problem_text text;
    v_priority varchar := COALESCE(p_priority, 'normal');
    v_problem text;
    v_run automation.workflow_instances;
BEGIN
    v_problem_text := automation.value_problem(p_input);
    IF v_problem_text IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('the run''s input is refused: %s', v_problem_text);
    END IF;
    IF jsonb_typeof(v_input) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'the run input must be a JSON object';
    END IF;
    IF v_priority NOT IN ('low', 'normal', 'high', 'critical') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('priority %s is not one of low, normal, high, critical', quote_literal(v_priority));
    END IF;
    SELECT * INTO v_wf FROM automation.workflows WHERE id = p_workflow_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('workflow %s does not exist', p_workflow_id);
    END IF;
    SELECT d.workflow_id INTO v_definition_id
    FROM flowable.workflow_definitions d WHERE d.deployment_id = p_workflow_id::text;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409', MESSAGE = format('workflow %s (%s %s) is not deployed', p_workflow_id, v_wf.name, v_wf.version),
            HINT = 'Deploy the version with automation.deploy_workflow first; only deployed versions run.';
    END IF;

    IF p_start_node IS NOT NULL THEN
        SELECT n.node_id INTO v_start FROM automation.workflow_nodes n
        WHERE n.workflow_id = p_workflow_id AND n.node_id = p_start_node AND n.node_type = 'trigger'
          AND n.parent_node_id IS NULL;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('workflow %s has no trigger node %s', p_workflow_id, p_start_node);
        END IF;
    ELSE
        -- the first top-level none start (in the model's order) of this kind, else the first one;
        -- message and signal starts are taken only when the event starts the run (p_start_node)
        SELECT x.node ->> 'id' INTO v_start
        FROM jsonb_array_elements(v_wf.workflow_data -> 'nodes') WITH ORDINALITY AS x(node, ord)
        WHERE x.node ->> 'type' = 'trigger' AND COALESCE(x.node ->> 'parentId', '') = ''
          AND COALESCE(x.node #>> '{data,event}', 'none') = 'none'
        ORDER BY (COALESCE(x.node #>> '{data,triggerType}', 'manual') = p_trigger_source) DESC, x.ord
        LIMIT 1;
        IF v_start IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PW409',
                MESSAGE = format('workflow %s (%s %s) has no none start event: it starts only on %s', p_workflow_id, v_wf.name, v_wf.version,
                                 (SELECT string_agg(format('%s %s', x.node #>> '{data,event}', quote_literal(x.node #>> '{data,name}')), ', ')
                                  FROM jsonb_array_elements(v_wf.workflow_data -> 'nodes') x(node)
                                  WHERE x.node ->> 'type' = 'trigger' AND COALESCE(x.node ->> 'parentId', '') = '')),
                HINT = 'correlate the message (flowable.correlate_message) or send the signal (flowable.send_signal) that starts it';
        END IF;
    END IF;

    INSERT INTO automation.workflow_instances (id, workflow_id, status, priority, progress, execution_context,
                                               triggered_by, trigger_source, engine_state, parent_instance_id, parent_execution_id,
                                               client_info)
    VALUES (v_id, p_workflow_id, 'running', v_priority, 0,
            jsonb_build_object('input', v_input, 'variables', v_input, 'steps', '{}'::jsonb),
            p_triggered_by, p_trigger_source,
            jsonb_build_object('visits', 0,
                               'max_steps', COALESCE((v_wf.configuration ->> 'maxSteps')::integer, 1000)),
            p_parent_instance_id, p_parent_execution_id, entitlements.client_info())
    RETURNING * INTO v_run;
    INSERT INTO automation.workflow_tokens (instance_id, node_id, state) VALUES (v_id, v_start, 'arrived');

    INSERT INTO flowable.process_instances (process_instance_id, workflow_id, business_key, started_by, started_at,
                                            status, variables, priority, metadata)
    VALUES (v_id::text, v_definition_id, p_business_key, COALESCE(p_triggered_by, 'SYSTEM'), now(), 'ACTIVE',
            v_input, CASE v_priority WHEN 'low' THEN 25 WHEN 'high' THEN 75 WHEN 'critical' THEN 100 ELSE 50 END,
            jsonb_build_object('trigger_source', p_trigger_source, 'automation_workflow_id', p_workflow_id));

    -- the top level's event sub-processes listen for the whole run
    v_problem := automation.engine_subscribe_event_subprocesses(v_run, NULL, NULL, v_run.execution_context);
    IF v_problem IS NOT NULL THEN
        PERFORM automation.engine_fail_run(v_id, v_problem);
        RETURN v_id;
    END IF;
    PERFORM automation.engine_advance(v_id);
    RETURN v_id;
END;
$$;

COMMENT ON FUNCTION automation.engine_start_run(uuid, jsonb, varchar, varchar, varchar, varchar, varchar, uuid, uuid) IS
    'Starts a run of a deployed workflow version (one id for workflow_instances and process_instances) at its start trigger node and advances it; a call activity''s child run names its caller and call step. PW400 bad input or priority, PW404 unknown workflow or start node, PW409 not deployed.';

REVOKE ALL ON FUNCTION automation.engine_start_run(uuid, jsonb, varchar, varchar, varchar, varchar, varchar, uuid, uuid) FROM PUBLIC;
