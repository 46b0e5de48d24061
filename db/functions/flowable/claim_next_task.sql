-- Claim the most urgent claimable task of the given queues for the current user
-- (case-routing-schema.md, stored procedure 1). Called by the API/CLI "next task" action.
CREATE OR REPLACE FUNCTION flowable.claim_next_task(
    p_user_id VARCHAR(50),
    p_queue_names TEXT[]
) RETURNS TABLE (
    task_id VARCHAR(64),
    task_name VARCHAR(500),
    priority INTEGER
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
-- No SET plan_cache_mode: a SET clause is applied and undone on every call. The plan cache
-- chooses the claim query's generic plan (the ordered scan of the partial claim index, right for
-- every argument) from the sixth call of a session because its cost estimate is no worse than the
-- custom plans' (checked with auto_explain; bench/RESULTS.md has the plan).
AS $$
#variable_conflict use_column
DECLARE
    v_me varchar := entitlements.current_user_id();
BEGIN
    IF v_me IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW401',
            MESSAGE = 'claim_next_task: no identity: app.current_user_id is not set',
            HINT = 'Set app.current_user_id for the transaction before calling the task service.';
    END IF;
    IF p_user_id IS NULL OR p_user_id <> v_me THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('claim_next_task: user %s cannot claim for user %s', v_me, COALESCE(p_user_id, 'NULL')),
            DETAIL = 'p_user_id must be the current identity (app.current_user_id).';
    END IF;
    IF p_queue_names IS NULL OR cardinality(p_queue_names) = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = 'claim_next_task: p_queue_names is empty',
            HINT = 'Pass the names of the queues to claim from.';
    END IF;

    -- One statement, so one plan and one executor run per claim. What the user may claim is
    -- computed once per call (InitPlans): the roles valid now (valid_from..valid_until) of an
    -- active user, the queues those roles work, and which of the requested queues are active.
    -- A user without a role valid now (inactive, unknown, grants expired) matches nothing, not
    -- even a task naming them in candidate_users.
    RETURN QUERY
    WITH mine AS (
        SELECT g.role_code, g.queue_name FROM entitlements.current_grants g WHERE g.user_id = v_me
    ), picked AS (
        SELECT t.task_id, t.status AS old_status
        FROM flowable.workflow_tasks t
        WHERE t.queue_name = ANY (ARRAY(SELECT q.queue_name::text FROM flowable.workflow_queues q
                                        WHERE q.queue_name = ANY (p_queue_names) AND q.is_active IS TRUE))
          AND t.status IN ('OPEN', 'ESCALATED')
          AND t.assignee_id IS NULL
          AND (t.candidate_groups && ARRAY(SELECT m.role_code::text FROM mine m)
               -- a candidate user too must hold a role valid now
               OR (t.candidate_users @> ARRAY[v_me::text] AND EXISTS (SELECT 1 FROM mine))
               -- a task offered to nobody in particular goes to whoever works its queue
               OR (COALESCE(cardinality(t.candidate_groups), 0) = 0
                   AND COALESCE(cardinality(t.candidate_users), 0) = 0
                   AND t.queue_name = ANY (ARRAY(SELECT m.queue_name::text FROM mine m WHERE m.queue_name IS NOT NULL))))
        ORDER BY t.priority DESC, t.created_at
        LIMIT 1
        FOR UPDATE OF t SKIP LOCKED
    ), claimed AS (
        UPDATE flowable.workflow_tasks t
        SET status = 'CLAIMED',
            assignee_id = v_me,
            claimed_at = pg_catalog.now(),
            claimed_by = v_me
        FROM picked p
        WHERE t.task_id = p.task_id
        RETURNING t.task_id, t.task_name, t.priority, t.process_instance_id, p.old_status
    ), logged AS (
        INSERT INTO flowable.task_history (
            task_id, process_instance_id, action_type, action_by,
            old_status, new_status, old_assignee, new_assignee
        )
        SELECT c.task_id, c.process_instance_id, 'CLAIM', v_me,
               c.old_status, 'CLAIMED', NULL, v_me
        FROM claimed c
    )
    SELECT c.task_id, c.task_name, c.priority FROM claimed c;
END;
$$;

COMMENT ON FUNCTION flowable.claim_next_task(varchar, text[]) IS
    'Claims for the current user (p_user_id must equal app.current_user_id) the claimable task (OPEN or ESCALATED, unassigned) of the given active queues with the highest priority, oldest first, that the user may take (a user holding no role valid now, inactive or unknown gets no row): a candidate group is a role the user holds now (valid_from <= now() < valid_until), or the user is a candidate user, or the task names no candidates and a held role works its queue. Skips tasks locked by concurrent claimers. Returns the claimed task, or no row. Writes one CLAIM history row. Errors: PW401 no identity, PW403 p_user_id is someone else, PW400 no queues.';

REVOKE ALL ON FUNCTION flowable.claim_next_task(varchar, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.claim_next_task(varchar, text[]) TO pgwf_app;
