-- Decides a pending approval as the person in app.current_user_id, who must hold its approver
-- role; completes its queue task (the task trigger then moves the run down the approved or
-- rejected edge). Called by approve_step and reject_step, which pass their idempotency key.
CREATE OR REPLACE FUNCTION automation.decide_approval(p_approval_id uuid, p_decision varchar, p_text text,
                                                      p_idempotency_key varchar DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar;
    v_instance_id uuid;
    v_approval automation.workflow_approvals;
    v_task flowable.workflow_tasks;
    v_open boolean;
BEGIN
    v_user := entitlements.require_active_user('deciding an approval');
    IF p_approval_id IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_approval_id is required';
    END IF;
    -- a repeat of a call with the same key is done already (its result is JSON null)
    IF automation.idempotency_begin(p_idempotency_key, CASE p_decision WHEN 'approved' THEN 'approve_step' ELSE 'reject_step' END,
                                    pg_catalog.jsonb_build_array(p_approval_id, p_text)) IS NOT NULL THEN
        RETURN;
    END IF;
    SELECT we.instance_id INTO v_instance_id
    FROM automation.workflow_approvals wa JOIN automation.workflow_executions we ON we.id = wa.execution_id
    WHERE wa.id = p_approval_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('approval %s does not exist', p_approval_id);
    END IF;
    -- lock order: run, step, approval
    PERFORM 1 FROM automation.workflow_instances WHERE id = v_instance_id FOR UPDATE;
    SELECT * INTO v_approval FROM automation.workflow_approvals WHERE id = p_approval_id FOR UPDATE;
    IF NOT automation.user_holds_role(v_user, v_approval.approver_role) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('user %s does not hold role %s and cannot decide approval %s', v_user, v_approval.approver_role, p_approval_id);
    END IF;
    IF v_approval.status <> 'pending' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('approval %s is %s, not pending', p_approval_id, v_approval.status);
    END IF;

    UPDATE automation.workflow_approvals
    SET status = p_decision,
        approver_user_id = v_user,
        responded_at = now(),
        approval_message = CASE WHEN p_decision = 'approved' THEN COALESCE(p_text, approval_message) ELSE approval_message END,
        rejection_reason = CASE WHEN p_decision = 'rejected' THEN p_text END,
        client_info = entitlements.client_info()
    WHERE id = p_approval_id;

    -- NOWAIT: someone completing the task holds it and waits for this run; refuse rather than deadlock
    BEGIN
        SELECT * INTO v_task FROM flowable.workflow_tasks WHERE task_id = v_approval.task_id FOR UPDATE NOWAIT;
    EXCEPTION WHEN lock_not_available THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('the task %s of approval %s is being completed right now', v_approval.task_id, p_approval_id),
            HINT = 'Look at the approval again in a moment: it is decided by that completion.';
    END;
    IF v_task.task_id IS NOT NULL AND v_task.status NOT IN ('COMPLETED', 'CANCELLED') THEN
        UPDATE flowable.workflow_tasks
        SET status = 'COMPLETED',
            assignee_id = COALESCE(assignee_id, v_user),
            completed_at = now(),
            completed_by = v_user,
            outcome = p_decision,
            outcome_reason = p_text
        WHERE task_id = v_task.task_id;
        INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by, old_status,
                                           new_status, old_assignee, new_assignee, comments, action_data)
        VALUES (v_task.task_id, v_task.process_instance_id, 'COMPLETE', v_user, v_task.status, 'COMPLETED',
                v_task.assignee_id, COALESCE(v_task.assignee_id, v_user), p_text,
                jsonb_build_object('outcome', p_decision, 'approval_id', p_approval_id));
    END IF;

    -- without a queue task (or if the task was already closed) the step is finished here
    SELECT status IN ('pending', 'running', 'waiting_approval') INTO v_open
    FROM automation.workflow_executions WHERE id = v_approval.execution_id;
    IF v_open THEN
        PERFORM automation.engine_finish_step(v_approval.execution_id,
            jsonb_build_object('decision', p_decision, 'decided_by', v_user, 'comment', p_text), p_decision);
    END IF;
    PERFORM automation.idempotency_finish(p_idempotency_key, NULL);
END;
$$;

COMMENT ON FUNCTION automation.decide_approval(uuid, varchar, text, varchar) IS
    'Records an approved/rejected decision by a holder of the approver role, completes the approval''s queue task and moves the run on. PW401, PW400, PW404, PW403 (role not held), PW409 (not pending); with p_idempotency_key a repeat returns at once, the key with other arguments is PW422 (automation.idempotency_begin).';

REVOKE ALL ON FUNCTION automation.decide_approval(uuid, varchar, text, varchar) FROM PUBLIC;
