-- A queue supervisor gives an unfinished task to another user and/or moves it to another queue.
CREATE OR REPLACE FUNCTION flowable.reassign_task(
    p_task_id varchar,
    p_assignee_id varchar DEFAULT NULL,
    p_queue_name varchar DEFAULT NULL,
    p_comment text DEFAULT NULL
) RETURNS flowable.workflow_tasks
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_me varchar := flowable.acting_user('reassign_task');
    v_old flowable.workflow_tasks := flowable.lock_task(p_task_id, v_me, 'reassign_task');
    v_task flowable.workflow_tasks;
    v_queue flowable.workflow_queues;
    v_target varchar := COALESCE(p_queue_name, v_old.queue_name);
BEGIN
    IF v_old.status NOT IN ('OPEN', 'CLAIMED', 'ESCALATED', 'DELEGATED') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('reassign_task: task %s is %s and cannot be reassigned', p_task_id, v_old.status);
    END IF;
    IF p_assignee_id IS NULL AND p_queue_name IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('reassign_task: task %s needs a new assignee or a new queue', p_task_id);
    END IF;
    -- The queue the task ends up in must exist: checked before supervision, so a queue that does
    -- not exist is reported as such, not as one the user does not supervise.
    SELECT * INTO v_queue FROM flowable.workflow_queues WHERE queue_name = v_target;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('reassign_task: queue %s does not exist', v_target);
    END IF;
    IF NOT flowable.is_queue_supervisor(v_me, v_old.queue_name)
       OR (v_target <> v_old.queue_name AND NOT flowable.is_queue_supervisor(v_me, v_target)) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('reassign_task: user %s does not supervise queue %s', v_me,
                             CASE WHEN flowable.is_queue_supervisor(v_me, v_old.queue_name) THEN v_target ELSE v_old.queue_name END),
            HINT = 'Reassigning needs a valid role with permissions.supervise over the task''s queue and the target queue.';
    END IF;
    -- An inactive queue hands out no work: a task may be taken off its holder there, or moved out
    -- to an active queue, but not given to anyone.
    IF v_target = v_old.queue_name AND p_assignee_id IS NOT NULL AND v_queue.is_active IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('reassign_task: queue %s of task %s is inactive and hands out no work', v_target, p_task_id),
            HINT = 'Move the task to an active queue (p_queue_name), or activate its queue.';
    END IF;
    IF p_assignee_id IS NOT NULL AND NOT entitlements.has_valid_role(p_assignee_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('reassign_task: assignee %s is not an active user with a role valid now', p_assignee_id);
    END IF;
    IF v_target <> v_old.queue_name THEN
        SELECT * INTO v_queue FROM flowable.workflow_queues WHERE queue_name = v_target FOR NO KEY UPDATE;
        IF NOT FOUND OR v_queue.is_active IS NOT TRUE THEN
            RAISE EXCEPTION USING ERRCODE = 'PW404',
                MESSAGE = format('reassign_task: queue %s does not exist or is inactive', v_target);
        END IF;
        IF v_queue.max_capacity IS NOT NULL AND v_queue.current_load >= v_queue.max_capacity THEN
            RAISE EXCEPTION USING ERRCODE = 'PW429',
                MESSAGE = format('reassign_task: queue %s is at capacity (%s of %s)', v_target, v_queue.current_load, v_queue.max_capacity);
        END IF;
    END IF;

    -- To a user: held by that user (CLAIMED). To a queue only: waiting there unassigned (OPEN).
    UPDATE flowable.workflow_tasks
    SET queue_name = v_target,
        assignee_id = p_assignee_id,
        claimed_by = p_assignee_id,
        claimed_at = CASE WHEN p_assignee_id IS NOT NULL THEN pg_catalog.now() END,
        status = CASE WHEN p_assignee_id IS NOT NULL THEN 'CLAIMED'
                      WHEN v_old.status = 'ESCALATED' THEN 'ESCALATED'
                      ELSE 'OPEN' END
    WHERE task_id = p_task_id
    RETURNING * INTO v_task;

    INSERT INTO flowable.task_history (task_id, process_instance_id, action_type, action_by,
                                       old_status, new_status, old_assignee, new_assignee, comments, action_data)
    VALUES (p_task_id, v_task.process_instance_id, 'REASSIGN', v_me, v_old.status, v_task.status,
            v_old.assignee_id, v_task.assignee_id, p_comment,
            pg_catalog.jsonb_build_object('old_queue', v_old.queue_name, 'new_queue', v_task.queue_name));
    RETURN v_task;
END;
$$;

COMMENT ON FUNCTION flowable.reassign_task(varchar, varchar, varchar, text) IS
    'A supervisor of the task''s queue (and of the target queue) reassigns an unfinished task: to p_assignee_id (an active user holding a role valid now; the task becomes CLAIMED by them) and/or to p_queue_name (active, below capacity; without an assignee the task waits there OPEN, or ESCALATED if it was). Errors: PW401, PW404 (task, user, unknown or inactive target queue), PW409 finished task, or given to a user while its own queue is inactive, PW403 not a supervisor, PW400 nothing to change, PW429 target queue full. One REASSIGN history row with the old and new queue.';

REVOKE ALL ON FUNCTION flowable.reassign_task(varchar, varchar, varchar, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.reassign_task(varchar, varchar, varchar, text) TO pgwf_app;
