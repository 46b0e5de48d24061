-- claim_next_task with an idempotency key: the overload flowable.claim_next_task(user, queues,
-- key) (the spec's two-argument function stays as it is, in claim_next_task.sql). A repeat with
-- the same key returns the task the first call claimed, or no row again, and claims nothing more.
-- Called by the API's POST /tasks/claim-next with an Idempotency-Key header and the CLI's
-- task claim-next --idempotency-key.
CREATE OR REPLACE FUNCTION flowable.claim_next_task(
    p_user_id VARCHAR(50),
    p_queue_names TEXT[],
    p_idempotency_key VARCHAR
) RETURNS TABLE (
    task_id VARCHAR(64),
    task_name VARCHAR(500),
    priority INTEGER
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_replay jsonb;
BEGIN
    -- the two-argument function refuses a missing identity, another user and no queues first
    IF entitlements.current_user_id() IS NOT NULL AND p_user_id = entitlements.current_user_id()
       AND cardinality(p_queue_names) > 0 THEN
        v_replay := automation.idempotency_begin(p_idempotency_key, 'claim_next_task',
                                                 pg_catalog.jsonb_build_array(p_user_id, p_queue_names));
    END IF;
    IF v_replay IS NOT NULL THEN
        RETURN QUERY SELECT r.task_id, r.task_name, r.priority
                     FROM pg_catalog.jsonb_to_recordset(v_replay) AS r(task_id varchar, task_name varchar, priority integer);
        RETURN;
    END IF;
    SELECT c.task_id, c.task_name, c.priority INTO task_id, task_name, priority
    FROM flowable.claim_next_task(p_user_id, p_queue_names) c;
    IF task_id IS NOT NULL THEN
        RETURN NEXT;
    END IF;
    PERFORM automation.idempotency_finish(p_idempotency_key,
        CASE WHEN task_id IS NOT NULL
             THEN pg_catalog.jsonb_build_array(pg_catalog.jsonb_build_object('task_id', task_id, 'task_name', task_name, 'priority', priority))
             ELSE '[]'::jsonb END);
END;
$$;

COMMENT ON FUNCTION flowable.claim_next_task(varchar, text[], varchar) IS
    'flowable.claim_next_task(p_user_id, p_queue_names) with an idempotency key: a repeat by the same user with the same key returns the first call''s task (or no row) and claims nothing more; the key with other arguments is PW422 (automation.idempotency_begin). Otherwise as the two-argument function, whose errors it raises.';

REVOKE ALL ON FUNCTION flowable.claim_next_task(varchar, text[], varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.claim_next_task(varchar, text[], varchar) TO pgwf_app;
