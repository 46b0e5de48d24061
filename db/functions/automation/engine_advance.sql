-- The executor: moves a running run as far as it can without waiting. Tokens wait at nodes in
-- engine_state.waiting; a node is visited when no open step and no other waiting token of the
-- run can still reach it (a join waits for its live branches only; dead branches never arrive).
-- Automatic nodes (trigger, condition, gateway, notification, end, disabled nodes) complete at
-- once and route on; action/integration steps wait for a worker, approval and task steps for
-- their queue task. Called by start, step completion, task completion, approval expiry, resume.
CREATE OR REPLACE FUNCTION automation.engine_advance(p_instance_id uuid)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_run automation.workflow_instances;
    v_state jsonb;
    v_ctx jsonb;
    v_waiting varchar[];
    v_open varchar[];
    v_cand varchar;
    v_node_id varchar;
    v_edges jsonb;
    v_node automation.workflow_nodes;
    v_config jsonb;
    v_max integer;
    v_visits integer;
    v_exec_id uuid;
    v_output jsonb;
    v_outcome varchar;
    v_next record;
    v_finish text;
    v_error text;
    v_now timestamptz;
    v_role varchar;
    v_queue varchar;
    v_approval_id uuid;
    v_task_id varchar;
    v_priority integer;
    v_notification_id uuid;
    v_terminate boolean := false;
    v_batch text;
    v_nodes jsonb;
BEGIN
    SELECT * INTO v_run FROM automation.workflow_instances WHERE id = p_instance_id FOR UPDATE;
    IF NOT FOUND OR v_run.status <> 'running' THEN
        RETURN;
    END IF;
    v_state := COALESCE(v_run.engine_state, '{}'::jsonb);
    v_ctx := COALESCE(v_run.execution_context, '{}'::jsonb);
    v_max := COALESCE((v_state ->> 'max_steps')::integer, 1000);
    v_visits := COALESCE((v_state ->> 'visits')::integer, 0);
    v_priority := CASE v_run.priority WHEN 'low' THEN 25 WHEN 'high' THEN 75 WHEN 'critical' THEN 100 ELSE 50 END;
    -- progress is refreshed once at the end, not for every step row written below
    v_batch := current_setting('pgwf.engine_batch', true);
    PERFORM set_config('pgwf.engine_batch', p_instance_id::text, true);
    -- the open steps of the run: read once, then kept up to date as steps are opened
    SELECT COALESCE(array_agg(DISTINCT we.node_id), '{}') INTO v_open
    FROM automation.workflow_executions we
    WHERE we.instance_id = p_instance_id AND we.status IN ('pending', 'running', 'waiting_approval');

    -- A loop: each pass visits one node; the graph decides how many passes there are.
    LOOP
        SELECT COALESCE(array_agg(w.key ORDER BY (w.value ->> 'seq')::bigint), '{}')
        INTO v_waiting
        FROM jsonb_each(COALESCE(v_state -> 'waiting', '{}'::jsonb)) AS w;

        IF cardinality(v_waiting) = 0 THEN
            IF cardinality(v_open) = 0 THEN
                v_finish := 'complete';
            END IF;
            EXIT;
        END IF;

        v_node_id := NULL;
        FOREACH v_cand IN ARRAY v_waiting LOOP
            IF cardinality(v_open) + cardinality(v_waiting) = 1
               OR NOT automation.engine_can_reach(v_run.workflow_id, v_open || array_remove(v_waiting, v_cand), v_cand) THEN
                v_node_id := v_cand;
                EXIT;
            END IF;
        END LOOP;
        IF v_node_id IS NULL THEN
            IF cardinality(v_open) > 0 THEN
                EXIT;  -- wait for a worker, a person or a timer
            END IF;
            -- only waiting joins are left and each could reach another (a cycle): the oldest goes
            v_node_id := v_waiting[1];
        END IF;

        v_edges := v_state #> ARRAY['waiting', v_node_id::text, 'edges'];
        v_state := v_state #- ARRAY['waiting', v_node_id::text];
        v_visits := v_visits + 1;
        v_state := jsonb_set(v_state, '{visits}', to_jsonb(v_visits));
        IF v_visits > v_max THEN
            v_finish := 'fail';
            v_error := format('the run visited more than %s steps (maxSteps) and was stopped at node %s; does the model loop?',
                              v_max, v_node_id);
            EXIT;
        END IF;

        -- the version's nodes are read once per advance (a run visits many)
        IF v_nodes IS NULL THEN
            SELECT jsonb_object_agg(n.node_id, to_jsonb(n)) INTO v_nodes
            FROM automation.workflow_nodes n WHERE n.workflow_id = v_run.workflow_id;
        END IF;
        v_node := jsonb_populate_record(NULL::automation.workflow_nodes, v_nodes -> v_node_id::text);
        IF v_node.node_id IS NULL THEN
            v_finish := 'fail';
            v_error := format('node %s is not in the workflow version', v_node_id);
            EXIT;
        END IF;
        v_config := COALESCE(v_node.configuration, '{}'::jsonb);
        v_now := clock_timestamp();
        v_outcome := NULL;
        v_output := '{}'::jsonb;

        IF NOT v_node.is_enabled OR v_node.node_type IN ('trigger', 'condition', 'gateway', 'notification', 'end') THEN
            IF NOT v_node.is_enabled THEN
                -- passed through without its work; an outcome node takes its first outcome
                v_outcome := CASE v_node.node_type WHEN 'condition' THEN 'true' WHEN 'approval' THEN 'approved' END;
            ELSIF v_node.node_type = 'trigger' THEN
                v_output := COALESCE(v_ctx -> 'input', '{}'::jsonb);
            ELSIF v_node.node_type = 'condition' THEN
                v_outcome := CASE WHEN automation.evaluate_condition(v_config -> 'condition', v_ctx) THEN 'true' ELSE 'false' END;
                v_output := jsonb_build_object('result', v_outcome = 'true');
            ELSIF v_node.node_type = 'notification' THEN
                INSERT INTO automation.workflow_notifications (workflow_id, instance_id, notification_type, channel,
                                                               recipients, subject, message, notification_data)
                VALUES (v_run.workflow_id, p_instance_id,
                        left(COALESCE(v_config ->> 'notificationType', 'step_complete'), 50),
                        COALESCE(v_config ->> 'channel', 'email'),
                        automation.fill_template(v_config -> 'recipients', v_ctx),
                        left(automation.fill_template(v_config -> 'subject', v_ctx) #>> '{}', 255),
                        automation.fill_template(v_config -> 'message', v_ctx) #>> '{}',
                        jsonb_build_object('template', v_config -> 'template', 'node_id', v_node_id,
                                           'variables', v_ctx -> 'variables'))
                RETURNING id INTO v_notification_id;
                v_output := jsonb_build_object('notification_id', v_notification_id);
            ELSIF v_node.node_type = 'end' THEN
                v_terminate := COALESCE((v_config ->> 'terminate')::boolean, false);
            END IF;

            INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at,
                                                        completed_at, duration_ms, input_data, output_data,
                                                        incoming_edge_id, created_at)
            VALUES (p_instance_id, v_node_id, v_node.node_type,
                    CASE WHEN v_node.is_enabled THEN 'completed' ELSE 'skipped' END,
                    v_now, clock_timestamp(),
                    floor(extract(epoch FROM (clock_timestamp() - v_now)) * 1000)::integer,
                    CASE WHEN v_node.node_type = 'trigger' THEN v_ctx -> 'input' END,
                    v_output, v_edges ->> -1, v_now)
            RETURNING id INTO v_exec_id;
            IF v_notification_id IS NOT NULL THEN
                UPDATE automation.workflow_notifications SET execution_id = v_exec_id WHERE id = v_notification_id;
                v_notification_id := NULL;
            END IF;
            v_ctx := jsonb_set(v_ctx, ARRAY['steps', v_node_id::text], v_output);

            IF v_terminate THEN
                v_finish := 'terminate';
                EXIT;
            END IF;
            -- a loop over the edges the node takes: each adds a token
            FOR v_next IN
                SELECT * FROM automation.engine_next_edges(v_run.workflow_id, v_node_id, v_node.node_type,
                                                           v_config, v_outcome, v_ctx)
            LOOP
                IF v_next.problem IS NOT NULL THEN
                    v_finish := 'fail';
                    v_error := v_next.problem;
                    EXIT;
                END IF;
                v_state := automation.engine_add_token(v_state, v_next.target_node_id, v_next.edge_id);
            END LOOP;
            EXIT WHEN v_finish IS NOT NULL;

        ELSIF v_node.node_type IN ('action', 'integration') THEN
            INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, input_data,
                                                        max_retries, next_attempt_at, incoming_edge_id, created_at)
            VALUES (p_instance_id, v_node_id, v_node.node_type, 'pending',
                    automation.fill_template(v_config, v_ctx),
                    GREATEST(0, COALESCE((v_config ->> 'maxRetries')::integer, 0)),
                    v_now, v_edges ->> -1, v_now)
            RETURNING id INTO v_exec_id;
            PERFORM pg_notify('pgwf_steps', json_build_object('execution_id', v_exec_id, 'step_type', v_node.node_type,
                                                              'connector', v_config ->> 'connector')::text);
            v_open := v_open || v_node_id;

        ELSE
            -- approval or task: a queue task in the one inbox; a failure to create it fails the run
            BEGIN
                INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at,
                                                            input_data, incoming_edge_id, created_at)
                VALUES (p_instance_id, v_node_id, v_node.node_type,
                        CASE v_node.node_type WHEN 'approval' THEN 'waiting_approval' ELSE 'running' END,
                        v_now, automation.fill_template(v_config, v_ctx), v_edges ->> -1, v_now)
                RETURNING id INTO v_exec_id;

                IF v_node.node_type = 'approval' THEN
                    v_role := v_config ->> 'approverRole';
                    v_queue := COALESCE(v_config ->> 'queueName',
                                        (SELECT wr.queue_name FROM entitlements.workflow_roles wr WHERE wr.role_code = v_role));
                    IF v_queue IS NULL THEN
                        RAISE EXCEPTION USING ERRCODE = 'PW422',
                            MESSAGE = format('approval node %s: role %s has no queue_name and the node names no queueName', v_node_id, v_role);
                    END IF;
                    INSERT INTO automation.workflow_approvals (execution_id, approver_role, expires_at, approval_message, approval_data)
                    VALUES (v_exec_id, v_role,
                            CASE WHEN v_config ? 'expiresInMinutes'
                                 THEN v_now + make_interval(mins => (v_config ->> 'expiresInMinutes')::integer) END,
                            automation.fill_template(v_config -> 'message', v_ctx) #>> '{}',
                            jsonb_build_object('variables', v_ctx -> 'variables'))
                    RETURNING id INTO v_approval_id;
                    v_task_id := flowable.create_task(
                        p_instance_id::text, v_node_id, v_node.label, v_queue, ARRAY[v_role]::text[], NULL, NULL,
                        v_priority,
                        CASE WHEN v_config ? 'expiresInMinutes'
                             THEN v_now + make_interval(mins => (v_config ->> 'expiresInMinutes')::integer) END,
                        v_config ->> 'formKey',
                        jsonb_build_object('execution_id', v_exec_id, 'approval_id', v_approval_id,
                                           'message', automation.fill_template(v_config -> 'message', v_ctx)),
                        'APPROVAL');
                    UPDATE automation.workflow_approvals SET task_id = v_task_id WHERE id = v_approval_id;
                    IF v_config ? 'recipients' THEN
                        INSERT INTO automation.workflow_notifications (workflow_id, instance_id, execution_id,
                            notification_type, channel, recipients, subject, message, notification_data)
                        VALUES (v_run.workflow_id, p_instance_id, v_exec_id, 'approval_request',
                                COALESCE(v_config ->> 'channel', 'email'),
                                automation.fill_template(v_config -> 'recipients', v_ctx),
                                left('Approval requested: ' || v_node.label, 255),
                                automation.fill_template(v_config -> 'message', v_ctx) #>> '{}',
                                jsonb_build_object('template', COALESCE(v_config ->> 'template', 'approval_request'),
                                                   'approval_id', v_approval_id, 'task_id', v_task_id));
                    END IF;
                ELSE
                    -- task fields may be {{path}} templates (BPMN ${var}; docs/graph-model.md)
                    v_config := automation.fill_template(v_config, v_ctx);
                    v_task_id := flowable.create_task(
                        p_instance_id::text, v_node_id, v_node.label, v_config ->> 'queueName',
                        (SELECT array_agg(x) FROM jsonb_array_elements_text(COALESCE(v_config -> 'candidateGroups', '[]')) x WHERE x <> ''),
                        (SELECT array_agg(x) FROM jsonb_array_elements_text(COALESCE(v_config -> 'candidateUsers', '[]')) x WHERE x <> ''),
                        NULLIF(v_config ->> 'assignee', ''),
                        COALESCE(NULLIF(v_config ->> 'priority', '')::numeric::integer, v_priority),
                        COALESCE(NULLIF(v_config ->> 'dueDate', '')::timestamptz,
                                 CASE WHEN v_config ? 'dueInMinutes'
                                      THEN v_now + make_interval(mins => (v_config ->> 'dueInMinutes')::integer) END),
                        v_config ->> 'formKey',
                        jsonb_build_object('execution_id', v_exec_id, 'input', automation.fill_template(v_config -> 'input', v_ctx)),
                        'USER_TASK');
                END IF;
                UPDATE automation.workflow_executions
                SET input_data = COALESCE(input_data, '{}'::jsonb) || jsonb_build_object('task_id', v_task_id)
                WHERE id = v_exec_id;
                v_open := v_open || v_node_id;
            EXCEPTION WHEN OTHERS THEN
                v_finish := 'fail';
                v_error := format('node %s could not open its queue task: %s', v_node_id, SQLERRM);
                EXIT;
            END;
        END IF;
    END LOOP;

    UPDATE automation.workflow_instances
    SET engine_state = v_state,
        execution_context = v_ctx
    WHERE id = p_instance_id;
    PERFORM set_config('pgwf.engine_batch', COALESCE(v_batch, ''), true);
    PERFORM automation.refresh_instance_progress(p_instance_id);

    IF v_finish = 'complete' THEN
        PERFORM automation.engine_complete_run(p_instance_id);
    ELSIF v_finish = 'terminate' THEN
        PERFORM automation.engine_close_open_work(p_instance_id, format('run terminated by end node %s', v_node_id));
        UPDATE automation.workflow_instances
        SET engine_state = jsonb_set(engine_state, '{waiting}', '{}'::jsonb)
        WHERE id = p_instance_id;
        PERFORM automation.engine_complete_run(p_instance_id);
    ELSIF v_finish = 'fail' THEN
        PERFORM automation.engine_fail_run(p_instance_id, v_error);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_advance(uuid) IS
    'Runs a running run forward until every branch waits or ends: visits nodes whose tokens no other live branch can still reach, completes automatic nodes and routes on, opens worker, approval and task steps; completes, terminates or fails the run when that is the outcome.';

REVOKE ALL ON FUNCTION automation.engine_advance(uuid) FROM PUBLIC;
