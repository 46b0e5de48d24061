-- Engine rule: a visit of an approval or task node opens a step and its queue task in the one
-- inbox (an approval also gets its workflow_approvals row and, with recipients, a request
-- notification); the token waits in the step. A queue task that cannot be created (full,
-- inactive or missing queue) is returned as the run's problem, with nothing of the visit kept.
-- Called by engine_advance.
CREATE OR REPLACE FUNCTION automation.engine_visit_queue_task(
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
    v_config jsonb := COALESCE(p_node.configuration, '{}'::jsonb);
    v_now timestamptz := clock_timestamp();
    v_priority integer := CASE p_run.priority WHEN 'low' THEN 25 WHEN 'high' THEN 75 WHEN 'critical' THEN 100 ELSE 50 END;
    v_exec_id uuid;
    v_role varchar;
    v_queue varchar;
    v_approval_id uuid;
    v_task_id varchar;
    v_task_priority numeric;
    v_due timestamptz;
BEGIN
    -- a sub-transaction: create_task may refuse (PW429 full queue, inactive queue), which fails
    -- the run with the reason instead of the caller's transaction
    BEGIN
        INSERT INTO automation.workflow_executions (instance_id, node_id, step_type, status, started_at,
                                                    input_data, incoming_edge_id, created_at)
        VALUES (p_run.id, p_node.node_id, p_node.node_type,
                CASE p_node.node_type WHEN 'approval' THEN 'waiting_approval' ELSE 'running' END,
                v_now, automation.fill_template(v_config, p_ctx), p_token.edge_id, v_now)
        RETURNING id INTO v_exec_id;

        IF p_node.node_type = 'approval' THEN
            v_role := v_config ->> 'approverRole';
            v_queue := COALESCE(v_config ->> 'queueName',
                                (SELECT wr.queue_name FROM entitlements.workflow_roles wr WHERE wr.role_code = v_role));
            IF v_queue IS NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'PW422',
                    MESSAGE = format('approval node %s: role %s has no queue_name and the node names no queueName', p_node.node_id, v_role);
            END IF;
            INSERT INTO automation.workflow_approvals (execution_id, approver_role, expires_at, approval_message, approval_data)
            VALUES (v_exec_id, v_role,
                    CASE WHEN v_config ? 'expiresInMinutes'
                         THEN v_now + make_interval(mins => (v_config ->> 'expiresInMinutes')::integer) END,
                    automation.fill_template(v_config -> 'message', p_ctx) #>> '{}',
                    jsonb_build_object('variables', p_ctx -> 'variables'))
            RETURNING id INTO v_approval_id;
            v_task_id := flowable.create_task(
                p_run.id::text, p_node.node_id, p_node.label, v_queue, ARRAY[v_role]::text[], NULL, NULL,
                v_priority,
                CASE WHEN v_config ? 'expiresInMinutes'
                     THEN v_now + make_interval(mins => (v_config ->> 'expiresInMinutes')::integer) END,
                v_config ->> 'formKey',
                jsonb_build_object('execution_id', v_exec_id, 'approval_id', v_approval_id,
                                   'message', automation.fill_template(v_config -> 'message', p_ctx)),
                'APPROVAL');
            UPDATE automation.workflow_approvals SET task_id = v_task_id WHERE id = v_approval_id;
            IF v_config ? 'recipients' THEN
                INSERT INTO automation.workflow_notifications (workflow_id, instance_id, execution_id,
                    notification_type, channel, recipients, subject, message, notification_data)
                VALUES (p_run.workflow_id, p_run.id, v_exec_id, 'approval_request',
                        COALESCE(v_config ->> 'channel', 'email'),
                        automation.fill_template(v_config -> 'recipients', p_ctx),
                        left('Approval requested: ' || p_node.label, 255),
                        automation.fill_template(v_config -> 'message', p_ctx) #>> '{}',
                        jsonb_build_object('template', COALESCE(v_config ->> 'template', 'approval_request'),
                                           'approval_id', v_approval_id, 'task_id', v_task_id));
            END IF;
        ELSE
            -- task fields may be {{path}} templates (BPMN ${var}; docs/graph-model.md)
            v_config := automation.fill_template(v_config, p_ctx);
            -- priority and due date (filled from run data) are refused out of range, by name
            BEGIN
                v_task_priority := NULLIF(v_config ->> 'priority', '')::numeric;
                v_due := COALESCE(NULLIF(v_config ->> 'dueDate', '')::timestamptz,
                                  CASE WHEN v_config ? 'dueInMinutes'
                                       THEN v_now + make_interval(mins => (v_config ->> 'dueInMinutes')::numeric::integer) END);
            EXCEPTION WHEN data_exception THEN
                RAISE EXCEPTION 'task priority % or due date % (dueInMinutes %) is not a number or a date',
                    COALESCE(v_config ->> 'priority', 'none'), COALESCE(v_config ->> 'dueDate', 'none'), COALESCE(v_config ->> 'dueInMinutes', 'none');
            END;
            IF v_task_priority IS NOT NULL AND (v_task_priority <> trunc(v_task_priority)
                                                OR v_task_priority NOT BETWEEN 0 AND automation.model_limit('task_priority_max')) THEN
                RAISE EXCEPTION 'task priority % is out of range: a whole number from 0 to % (task_priority_max)',
                    v_config ->> 'priority', automation.model_limit('task_priority_max');
            END IF;
            IF v_due NOT BETWEEN v_now - make_interval(days => automation.model_limit('task_due_days'))
                             AND v_now + make_interval(days => automation.model_limit('task_due_days')) THEN
                RAISE EXCEPTION 'task due date % is out of range: at most % days (task_due_days) from now', v_due,
                    automation.model_limit('task_due_days');
            END IF;
            v_task_id := flowable.create_task(
                p_run.id::text, p_node.node_id, p_node.label, v_config ->> 'queueName',
                (SELECT array_agg(x) FROM jsonb_array_elements_text(COALESCE(v_config -> 'candidateGroups', '[]')) x WHERE x <> ''),
                (SELECT array_agg(x) FROM jsonb_array_elements_text(COALESCE(v_config -> 'candidateUsers', '[]')) x WHERE x <> ''),
                NULLIF(v_config ->> 'assignee', ''),
                COALESCE(v_task_priority::integer, v_priority),
                v_due,
                v_config ->> 'formKey',
                -- the node's form (validate_workflow_graph checked it) is the task's: the inbox draws
                -- it and complete_task holds the submitted data to it
                jsonb_build_object('execution_id', v_exec_id, 'input', automation.fill_template(v_config -> 'input', p_ctx))
                    || CASE WHEN jsonb_typeof(v_config -> 'form') = 'array'
                            THEN jsonb_build_object('form', v_config -> 'form') ELSE '{}'::jsonb END,
                'USER_TASK');
        END IF;
        UPDATE automation.workflow_executions
        SET input_data = COALESCE(input_data, '{}'::jsonb) || jsonb_build_object('task_id', v_task_id)
        WHERE id = v_exec_id;
        UPDATE automation.workflow_tokens SET state = 'waiting', execution_id = v_exec_id WHERE id = p_token.id;
    EXCEPTION WHEN OTHERS THEN
        RETURN format('node %s could not open its queue task: %s', p_node.node_id, SQLERRM);
    END;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.engine_visit_queue_task(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) IS
    'Opens the step and queue task of an approval node (with its approval row) or task node and parks the token in it; returns the reason when the queue task cannot be created (the run then fails), also for a priority outside 0..task_priority_max or a due date more than task_due_days from now (model_limit).';

REVOKE ALL ON FUNCTION automation.engine_visit_queue_task(automation.workflow_instances, automation.workflow_tokens, automation.workflow_nodes, jsonb) FROM PUBLIC;
