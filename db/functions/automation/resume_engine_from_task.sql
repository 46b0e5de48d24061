-- Trigger function of trg_workflow_tasks_engine_resume: when a queue task the engine opened
-- (task_data.execution_id) is completed or cancelled, its step finishes and the run moves on
-- in the same transaction. Completing an approval task decides the approval (outcome approved
-- or rejected) and needs a holder of the approver role; a cancelled task fails the run.
CREATE OR REPLACE FUNCTION automation.resume_engine_from_task()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_execution_id uuid;
    v_instance_id uuid;
    v_step automation.workflow_executions;
    v_approval automation.workflow_approvals;
    v_decision varchar;
    v_by varchar := COALESCE(NEW.completed_by, NEW.assignee_id);
BEGIN
    BEGIN
        v_execution_id := (NEW.task_data ->> 'execution_id')::uuid;
    EXCEPTION WHEN invalid_text_representation THEN
        RETURN NULL;
    END;
    SELECT instance_id INTO v_instance_id FROM automation.workflow_executions WHERE id = v_execution_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    PERFORM 1 FROM automation.workflow_instances WHERE id = v_instance_id FOR UPDATE;
    SELECT * INTO v_step FROM automation.workflow_executions WHERE id = v_execution_id FOR UPDATE;
    IF v_step.status NOT IN ('pending', 'running', 'waiting_approval') THEN
        RETURN NULL;  -- the engine closed the step itself (run stopped, approval decided or expired)
    END IF;

    IF NEW.status = 'CANCELLED' THEN
        UPDATE automation.workflow_executions
        SET status = 'failed', completed_at = now(),
            error_message = format('queue task %s was cancelled', NEW.task_id)
        WHERE id = v_execution_id;
        PERFORM automation.engine_fail_run(v_instance_id,
            format('the queue task %s of node %s was cancelled%s', NEW.task_id, v_step.node_id,
                   COALESCE(': ' || NEW.outcome_reason, '')));
        RETURN NULL;
    END IF;

    IF v_step.step_type = 'approval' THEN
        SELECT * INTO v_approval FROM automation.workflow_approvals WHERE execution_id = v_execution_id FOR UPDATE;
        IF v_approval.status = 'pending' THEN
            v_decision := CASE lower(COALESCE(NEW.outcome, NEW.form_data ->> 'decision', ''))
                              WHEN 'approved' THEN 'approved' WHEN 'approve' THEN 'approved'
                              WHEN 'rejected' THEN 'rejected' WHEN 'reject' THEN 'rejected' END;
            IF v_decision IS NULL THEN
                RAISE EXCEPTION USING ERRCODE = 'PW422',
                    MESSAGE = format('approval task %s must be completed with outcome approved or rejected, not %s',
                                     NEW.task_id, COALESCE(quote_literal(NEW.outcome), 'none'));
            END IF;
            IF v_by IS NULL OR NOT automation.user_holds_role(v_by, v_approval.approver_role) THEN
                RAISE EXCEPTION USING ERRCODE = 'PW403',
                    MESSAGE = format('user %s does not hold role %s and cannot decide approval task %s',
                                     COALESCE(v_by, '(nobody)'), v_approval.approver_role, NEW.task_id);
            END IF;
            UPDATE automation.workflow_approvals
            SET status = v_decision, approver_user_id = v_by, responded_at = now(),
                rejection_reason = CASE WHEN v_decision = 'rejected' THEN NEW.outcome_reason END
            WHERE id = v_approval.id;
        ELSIF v_approval.status IN ('approved', 'rejected') THEN
            v_decision := v_approval.status;
        ELSE
            RETURN NULL;
        END IF;
        PERFORM automation.engine_finish_step(v_execution_id,
            jsonb_build_object('decision', v_decision, 'decided_by', COALESCE(v_approval.approver_user_id, v_by),
                               'comment', NEW.outcome_reason, 'task_id', NEW.task_id,
                               'variables', COALESCE(NEW.form_data, '{}'::jsonb)),
            v_decision);
    ELSE
        PERFORM automation.engine_finish_step(v_execution_id,
            jsonb_build_object('task_id', NEW.task_id, 'outcome', NEW.outcome, 'completed_by', v_by,
                               'form_data', COALESCE(NEW.form_data, '{}'::jsonb),
                               'variables', COALESCE(NEW.form_data, '{}'::jsonb)),
            NULL);
    END IF;
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION automation.resume_engine_from_task() IS
    'AFTER UPDATE OF status trigger on flowable.workflow_tasks: a COMPLETED engine task finishes its step (an approval task decides the approval: outcome approved/rejected by a holder of the role, else PW422/PW403) and advances the run; a CANCELLED one fails the run.';

REVOKE ALL ON FUNCTION automation.resume_engine_from_task() FROM PUBLIC;
