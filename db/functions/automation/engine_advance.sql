-- The executor: moves a running run's tokens as far as they go without waiting. Each pass takes
-- the oldest token that has arrived at a node and visits the node by its kind (one function a
-- kind); when none has arrived, an inclusive join whose other branches have all stopped fires.
-- The run completes when its top-level scope has no token left, and fails with a message naming
-- the join when only joins are left waiting for tokens that cannot come. Called by start, step
-- completion, task completion, approval expiry, events and resume.
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
    v_max integer;
    v_visits integer;
    v_token automation.workflow_tokens;
    v_node automation.workflow_nodes;
    v_incoming integer;
    v_kind text;
    v_problem text;
    v_terminate boolean;
    v_finish text;
    v_batch text;
    v_stuck record;
    v_locals jsonb;
    v_visit_ctx jsonb;
    v_last_node varchar;
    v_visit record;
BEGIN
    SELECT * INTO v_run FROM automation.workflow_instances WHERE id = p_instance_id FOR UPDATE;
    IF NOT FOUND OR v_run.status <> 'running' THEN
        RETURN;
    END IF;
    v_state := COALESCE(v_run.engine_state, '{}'::jsonb);
    v_ctx := COALESCE(v_run.execution_context, '{}'::jsonb);
    v_max := COALESCE((v_state ->> 'max_steps')::integer, 1000);
    v_visits := COALESCE((v_state ->> 'visits')::integer, 0);
    -- progress is refreshed once at the end, not for every step row written below
    v_batch := current_setting('pgwf.engine_batch', true);
    PERFORM set_config('pgwf.engine_batch', p_instance_id::text, true);

    -- A loop: each pass moves one token; the graph decides how many passes there are.
    LOOP
        v_problem := NULL;
        v_terminate := false;
        SELECT * INTO v_token FROM automation.workflow_tokens
        WHERE instance_id = p_instance_id AND state = 'arrived'
        ORDER BY id LIMIT 1;
        IF NOT FOUND THEN
            -- nothing arrived: an inclusive join may have become ready because a branch stopped
            SELECT t.node_id, t.scope_token_id INTO v_stuck
            FROM automation.workflow_tokens t
            JOIN automation.workflow_nodes n ON n.workflow_id = v_run.workflow_id AND n.node_id = t.node_id
            WHERE t.instance_id = p_instance_id AND t.state = 'joining' AND n.configuration ->> 'kind' = 'inclusive'
              AND (automation.engine_join_ready(p_instance_id, v_run.workflow_id, t.node_id, t.scope_token_id)
                   -- inclusive joins waiting on each other in a cycle: the oldest goes first
                   OR NOT EXISTS (SELECT 1 FROM automation.workflow_tokens o
                                  WHERE o.instance_id = p_instance_id AND o.state <> 'joining'
                                    AND o.scope_token_id IS NOT DISTINCT FROM t.scope_token_id))
            ORDER BY t.id LIMIT 1;
            EXIT WHEN NOT FOUND;
            v_visits := v_visits + 1;
            SELECT * INTO v_node FROM automation.workflow_nodes
            WHERE workflow_id = v_run.workflow_id AND node_id = v_stuck.node_id;
            SELECT f.p_ctx, f.o_problem INTO v_ctx, v_problem
            FROM automation.engine_fire_join(v_run, v_node, v_stuck.scope_token_id, v_ctx) f;
            IF v_problem IS NOT NULL THEN
                v_finish := 'fail';
                EXIT;
            END IF;
            CONTINUE;
        END IF;

        v_visits := v_visits + 1;
        v_last_node := v_token.node_id;
        IF v_visits > v_max THEN
            v_finish := 'fail';
            v_problem := format('the run visited more than %s steps (maxSteps) and was stopped at node %s; does the model loop?',
                                v_max, v_token.node_id);
            EXIT;
        END IF;

        -- one primary-key lookup a visit; a joining gateway also counts its incoming flows
        SELECT * INTO v_node FROM automation.workflow_nodes
        WHERE workflow_id = v_run.workflow_id AND node_id = v_token.node_id;
        IF NOT FOUND THEN
            v_finish := 'fail';
            v_problem := format('node %s is not in the workflow version', v_token.node_id);
            EXIT;
        END IF;
        v_kind := v_node.configuration ->> 'kind';
        v_incoming := NULL;
        IF v_node.node_type = 'gateway' AND v_kind IN ('parallel', 'inclusive') THEN
            SELECT count(*) INTO v_incoming FROM automation.workflow_edges e
            WHERE e.workflow_id = v_run.workflow_id AND e.target_node_id = v_node.node_id AND e.is_enabled;
        END IF;
        -- inside a multi-instance activity the node sees the instance's and the body's locals over
        -- the run's variables; they stay the token's own (taken out again after the visit)
        v_locals := CASE WHEN v_token.scope_token_id IS NOT NULL OR v_token.locals IS NOT NULL
                         THEN automation.engine_token_locals(v_token.id) END;
        IF v_locals IS NOT NULL AND v_locals <> '{}'::jsonb THEN
            v_visit_ctx := v_ctx;
            v_ctx := jsonb_set(v_ctx, '{variables}', COALESCE(v_ctx -> 'variables', '{}'::jsonb) || v_locals);
        ELSE
            v_locals := NULL;
        END IF;
        IF v_node.is_enabled AND COALESCE((v_token.locals #>> '{$mi,collected}')::boolean, false) THEN
            -- a multi-instance body whose instances are done hands over its output collection, then leaves
            v_ctx := automation.engine_mi_output(v_token, v_node.configuration -> 'multiInstance', v_ctx);
            v_problem := automation.engine_complete_scope(v_token.id, v_ctx);
        ELSIF v_node.is_enabled AND v_node.configuration ? 'multiInstance' AND NOT COALESCE(v_token.locals ? 'loopCounter', false) THEN
            v_problem := automation.engine_visit_multi_instance(v_run, v_token, v_node, v_ctx);
        ELSIF v_node.is_enabled AND v_node.node_type = 'gateway' AND v_kind IN ('parallel', 'inclusive') AND v_incoming > 1 THEN
            v_visit := automation.engine_visit_join(v_run, v_token, v_node, v_incoming, v_ctx);
            v_ctx := v_visit.p_ctx;
            v_problem := v_visit.o_problem;
        ELSIF v_node.is_enabled AND v_node.node_type = 'gateway' AND v_kind = 'eventBased' THEN
            v_problem := automation.engine_visit_event_gateway(v_run, v_token, v_node, v_ctx);
        ELSIF v_node.is_enabled AND (v_node.node_type IN ('event', 'receive')
                                     OR (v_node.node_type = 'end' AND v_node.configuration ->> 'event' IN ('error', 'escalation', 'signal', 'message', 'cancel'))) THEN
            SELECT f.p_ctx, f.o_problem INTO v_ctx, v_problem
            FROM automation.engine_visit_event(v_run, v_token, v_node, v_ctx) f;
        ELSIF NOT v_node.is_enabled
              OR v_node.node_type IN ('trigger', 'condition', 'gateway', 'notification', 'end', 'manual') THEN
            -- an assignment, not a SELECT: evaluated as an expression, without an executor
            v_visit := automation.engine_visit_automatic(v_run, v_token, v_node, v_ctx);
            v_ctx := v_visit.p_ctx;
            v_problem := v_visit.o_problem;
            v_terminate := v_visit.o_terminate;
        ELSIF v_node.node_type IN ('action', 'integration') THEN
            PERFORM automation.engine_visit_worker(v_run, v_token, v_node, v_ctx);
        ELSIF v_node.node_type IN ('approval', 'task') THEN
            v_problem := automation.engine_visit_queue_task(v_run, v_token, v_node, v_ctx);
        ELSIF v_node.node_type = 'call' THEN
            SELECT f.p_ctx, f.o_problem INTO v_ctx, v_problem
            FROM automation.engine_visit_call(v_run, v_token, v_node, v_ctx) f;
        ELSIF v_node.node_type = 'subprocess' THEN
            SELECT f.p_ctx, f.o_problem INTO v_ctx, v_problem
            FROM automation.engine_visit_subprocess(v_run, v_token, v_node, v_ctx) f;
        ELSE
            v_problem := format('node %s of type %s cannot be run by this engine', v_node.node_id, v_node.node_type);
        END IF;

        IF v_locals IS NOT NULL THEN
            -- what the visit changed stays; the locals are not the run's variables
            v_ctx := jsonb_set(v_ctx, '{variables}',
                               COALESCE(v_visit_ctx -> 'variables', '{}'::jsonb)
                               || (SELECT COALESCE(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
                                   FROM jsonb_each(COALESCE(v_ctx -> 'variables', '{}'::jsonb)) e
                                   WHERE NOT v_locals ? e.key));
        END IF;
        -- an activity the token now waits in listens to its timer, message and signal boundary
        -- events (a multi-instance activity: its body, not each instance)
        -- (nested IFs: nodes that do their work at once run no query here)
        IF v_problem IS NULL AND v_node.node_type IN ('action', 'integration', 'approval', 'task', 'subprocess', 'receive', 'call')
           AND NOT COALESCE(v_token.locals ? 'loopCounter', false) THEN
            -- not when the activity was done at once (a call whose run ended, an empty sub-process)
            IF EXISTS (SELECT 1 FROM automation.workflow_tokens t
                       WHERE t.id = v_token.id AND t.node_id = v_token.node_id AND t.state IN ('waiting', 'scope')) THEN
                v_problem := automation.engine_subscribe_boundaries(v_run, v_token.id, v_node.node_id, v_ctx);
            END IF;
        END IF;
        IF v_problem IS NOT NULL THEN
            v_finish := 'fail';
            EXIT;
        ELSIF v_terminate THEN
            v_finish := 'terminate';
            EXIT;
        END IF;
    END LOOP;

    IF v_finish IS NULL THEN
        IF NOT EXISTS (SELECT 1 FROM automation.workflow_tokens WHERE instance_id = p_instance_id AND scope_token_id IS NULL) THEN
            v_finish := 'complete';
        ELSE
            -- a scope whose every token waits at a join can never move again
            SELECT string_agg(DISTINCT t.node_id, ', ') AS joins INTO v_stuck
            FROM automation.workflow_tokens t
            WHERE t.instance_id = p_instance_id
            GROUP BY t.scope_token_id
            HAVING bool_and(t.state = 'joining')
            LIMIT 1;
            IF FOUND THEN
                v_finish := 'fail';
                v_problem := format('the run is stuck: the join %s waits for tokens on incoming flows that no token can reach any more',
                                    v_stuck.joins);
            END IF;
        END IF;
    END IF;

    -- a run that completes now is at 100 (engine_complete_run) and at the step visited last;
    -- any other has its progress refreshed (current_step is set only when it changes, as its
    -- trigger copies it to the process instance)
    IF v_finish = 'complete' THEN
        UPDATE automation.workflow_instances
        SET engine_state = jsonb_set(v_state, '{visits}', to_jsonb(v_visits)),
            execution_context = v_ctx,
            current_step = COALESCE(v_last_node, current_step)
        WHERE id = p_instance_id;
        PERFORM set_config('pgwf.engine_batch', COALESCE(v_batch, ''), true);
    ELSE
        UPDATE automation.workflow_instances
        SET engine_state = jsonb_set(v_state, '{visits}', to_jsonb(v_visits)),
            execution_context = v_ctx
        WHERE id = p_instance_id;
        PERFORM set_config('pgwf.engine_batch', COALESCE(v_batch, ''), true);
        PERFORM automation.refresh_instance_progress(p_instance_id);
    END IF;

    IF v_finish = 'complete' THEN
        PERFORM automation.engine_complete_run(p_instance_id);
    ELSIF v_finish = 'terminate' THEN
        PERFORM automation.engine_close_open_work(p_instance_id, format('run terminated by end node %s', v_token.node_id));
        PERFORM automation.engine_complete_run(p_instance_id);
    ELSIF v_finish = 'fail' THEN
        PERFORM automation.engine_fail_run(p_instance_id, v_problem);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_advance(uuid) IS
    'Moves a running run''s tokens until each waits or ends: visits the node of the oldest arrived token by its kind, fires inclusive joins that became ready; completes the run when no top-level token is left, terminates it at a terminating end, fails it on a routing problem, the step limit or a join that can never fire.';

REVOKE ALL ON FUNCTION automation.engine_advance(uuid) FROM PUBLIC;
