-- Claim one named task for the current user (the inbox's "claim" button); with an idempotency
-- key, a repeat of the claim returns the first answer instead of PW409.
CREATE OR REPLACE FUNCTION flowable.claim_task(p_task_id varchar, p_idempotency_key varchar DEFAULT NULL)
RETURNS flowable.workflow_tasks
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := flowable.acting_user('claim_task');
    v_replay jsonb := automation.idempotency_begin(p_idempotency_key, 'claim_task', pg_catalog.jsonb_build_array(p_task_id));
    v_old flowable.workflow_tasks;
    v_task flowable.workflow_tasks;
BEGIN
    IF v_replay IS NOT NULL THEN
        RETURN pg_catalog.jsonb_populate_record(NULL::flowable.workflow_tasks, v_replay);
    END IF;
    v_old := flowable.lock_task(p_task_id, v_me, 'claim_task');
    IF v_old.status NOT IN ('OPEN', 'ESCALATED') OR v_old.assignee_id IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('claim_task: task %s is %s%s and cannot be claimed', p_task_id, v_old.status,
                             COALESCE(' by ' || v_old.assignee_id, '')),
            HINT = 'Only OPEN tasks and unassigned ESCALATED tasks can be claimed.';
    END IF;
    IF NOT flowable.may_claim(v_me, v_old) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('claim_task: user %s may not claim task %s', v_me, p_task_id),
            DETAIL = 'The user holds none of its candidate groups now and is not a candidate user.';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM flowable.workflow_queues WHERE queue_name = v_old.queue_name AND is_active IS TRUE) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('claim_task: queue %s of task %s is inactive', v_old.queue_name, p_task_id);
    END IF;

    UPDATE flowable.workflow_tasks
    SET status = 'CLAIMED', assignee_id = v_me, claimed_at = pg_catalog.now(), claimed_by = v_me
    WHERE task_id = p_task_id
    RETURNING * INTO v_task;

    INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by,
                                       old_status, new_status, old_assignee, new_assignee)
    VALUES (p_task_id, v_task.process_instance_id, 'CLAIM', v_me, v_old.status, v_task.status, NULL, v_me);
    PERFORM automation.idempotency_finish(p_idempotency_key, pg_catalog.to_jsonb(v_task));
    RETURN v_task;
END;
$$;

COMMENT ON FUNCTION flowable.claim_task(varchar, varchar) IS
    'The current user claims this task: it must be OPEN (or ESCALATED and unassigned) in an active queue and the user must may_claim it. Returns the task. Errors: PW401 no identity, PW404 unknown or invisible task, PW409 not claimable (e.g. already CLAIMED), PW403 not a candidate. One CLAIM history row. With p_idempotency_key, a repeat by the same user returns the first result (the task as it was then), the key with other arguments is PW422 (automation.idempotency_begin).';

REVOKE ALL ON FUNCTION flowable.claim_task(varchar, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.claim_task(varchar, varchar) TO pgwf_app;
