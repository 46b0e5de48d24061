-- Create a user task in a queue: the one way tasks are made (the engine calls it for BPMN user
-- tasks and approval nodes). Applies capacity and overflow, the SLA due date and auto-assignment.
CREATE OR REPLACE FUNCTION flowable.create_task(
    p_process_instance_id varchar,
    p_task_definition_key varchar,
    p_task_name varchar,
    p_queue_name varchar,
    p_candidate_groups text[] DEFAULT NULL,
    p_candidate_users text[] DEFAULT NULL,
    p_assignee_id varchar DEFAULT NULL,
    p_priority int DEFAULT NULL,
    p_due_date timestamptz DEFAULT NULL,
    p_form_key varchar DEFAULT NULL,
    p_task_data jsonb DEFAULT '{}',
    p_task_type varchar DEFAULT 'USER_TASK'
) RETURNS varchar
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_task_id varchar := pg_catalog.gen_random_uuid()::text;
    v_process flowable.process_instances%ROWTYPE;
    v_queue flowable.workflow_queues%ROWTYPE;
    v_overflow flowable.workflow_queues%ROWTYPE;
    v_overflow_name text;
    v_assignee varchar := p_assignee_id;
    v_strategy varchar;
    v_status varchar := 'OPEN';
BEGIN
    IF p_process_instance_id IS NULL OR p_task_definition_key IS NULL OR p_task_name IS NULL OR p_queue_name IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = 'create_task: p_process_instance_id, p_task_definition_key, p_task_name and p_queue_name are required';
    END IF;
    SELECT * INTO v_process FROM flowable.process_instances WHERE process_instance_id = p_process_instance_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('create_task: process instance %s does not exist', p_process_instance_id);
    END IF;

    -- The queue row lock serialises task creation per queue: the capacity check, the load the
    -- trigger adds and the round-robin position are then exact under concurrency. NO KEY UPDATE,
    -- not UPDATE: a completion in another transaction may hold KEY SHARE on this row (its foreign
    -- key check) before its load trigger updates it, and FOR UPDATE would deadlock against that.
    SELECT * INTO v_queue FROM flowable.workflow_queues WHERE queue_name = p_queue_name FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404',
            MESSAGE = format('create_task: queue %s does not exist', p_queue_name);
    END IF;
    IF v_queue.is_active IS NOT TRUE THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('create_task: queue %s is inactive', p_queue_name),
            HINT = 'Activate the queue or route the task to another one.';
    END IF;
    IF v_queue.max_capacity IS NOT NULL AND v_queue.current_load >= v_queue.max_capacity THEN
        v_overflow_name := v_queue.routing_rules ->> 'overflow_queue';
        IF v_overflow_name IS NOT NULL AND v_overflow_name <> p_queue_name THEN
            SELECT * INTO v_overflow FROM flowable.workflow_queues
            WHERE queue_name = v_overflow_name AND is_active IS TRUE FOR NO KEY UPDATE;
        END IF;
        IF v_overflow.queue_name IS NULL
           OR (v_overflow.max_capacity IS NOT NULL AND v_overflow.current_load >= v_overflow.max_capacity) THEN
            RAISE EXCEPTION USING ERRCODE = 'PW429',
                MESSAGE = format('create_task: queue %s is at capacity (%s of %s)', p_queue_name, v_queue.current_load, v_queue.max_capacity),
                DETAIL = CASE WHEN v_overflow_name IS NULL THEN 'The queue names no overflow_queue in routing_rules.'
                              ELSE format('Its overflow queue %s is missing, inactive or full too.', v_overflow_name) END,
                HINT = 'Raise max_capacity or name an overflow queue in routing_rules.overflow_queue.';
        END IF;
        v_queue := v_overflow;
    END IF;

    IF v_assignee IS NOT NULL THEN
        IF NOT entitlements.has_valid_role(v_assignee) THEN
            RAISE EXCEPTION USING ERRCODE = 'PW404',
                MESSAGE = format('create_task: assignee %s is not an active user with a role valid now', v_assignee);
        END IF;
    ELSE
        SELECT a.user_id, a.strategy INTO v_assignee, v_strategy
        FROM flowable.pick_assignee(v_queue.queue_name, p_candidate_groups, p_candidate_users) a;
    END IF;
    IF v_assignee IS NOT NULL THEN
        v_status := 'CLAIMED';
    END IF;

    INSERT INTO flowable.workflow_tasks (
        task_id, process_instance_id, task_definition_key, task_name, task_type, queue_name,
        assignee_id, candidate_groups, candidate_users, priority, status, form_key,
        claimed_at, claimed_by, due_date, task_data
    ) VALUES (
        v_task_id, p_process_instance_id, p_task_definition_key, p_task_name, COALESCE(p_task_type, 'USER_TASK'),
        v_queue.queue_name, v_assignee, p_candidate_groups, p_candidate_users,
        COALESCE(p_priority, v_process.priority, 50), v_status, p_form_key,
        CASE WHEN v_assignee IS NOT NULL THEN pg_catalog.now() END, v_assignee,
        COALESCE(p_due_date, pg_catalog.now() + pg_catalog.make_interval(mins => v_queue.sla_minutes)),
        COALESCE(p_task_data, '{}'::jsonb)
    );

    INSERT INTO flowable.task_history (
        task_id, process_instance_id, action_type, action_by, old_status, new_status,
        old_assignee, new_assignee, action_data
    ) VALUES (
        v_task_id, p_process_instance_id, 'CREATE', COALESCE(entitlements.current_user_id(), 'SYSTEM'),
        NULL, v_status, NULL, v_assignee,
        pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
            'queue', v_queue.queue_name,
            'requested_queue', CASE WHEN v_queue.queue_name <> p_queue_name THEN p_queue_name END,
            'overflow', CASE WHEN v_queue.queue_name <> p_queue_name THEN true END,
            'auto_assigned', v_strategy))
    );
    RETURN v_task_id;
END;
$$;

COMMENT ON FUNCTION flowable.create_task(varchar, varchar, varchar, varchar, text[], text[], varchar, integer, timestamptz, varchar, jsonb, varchar) IS
    'Creates a task of a process instance in a queue and returns its task_id (a UUID). A queue at max_capacity sends the task to the active queue named in its routing_rules.overflow_queue when that has room, else refuses with PW429; an inactive queue refuses with PW409. due_date defaults to now() + the final queue''s sla_minutes, priority to the process''s. With p_assignee_id (an active user holding a role valid now, else PW404) or an auto-assignment (flowable.pick_assignee) the task starts CLAIMED by that user, else OPEN. Writes one CREATE history row (action_by: app.current_user_id or SYSTEM).';

REVOKE ALL ON FUNCTION flowable.create_task(varchar, varchar, varchar, varchar, text[], text[], varchar, integer, timestamptz, varchar, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.create_task(varchar, varchar, varchar, varchar, text[], text[], varchar, integer, timestamptz, varchar, jsonb, varchar) TO pgwf_worker;
