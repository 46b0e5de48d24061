-- Auto-assignment for flowable.create_task: the user a new task of a queue goes to, by the
-- queue's queue_assignments (auto_assign, priority_level, assignment_strategy, max_tasks_per_user).
CREATE OR REPLACE FUNCTION flowable.pick_assignee(
    p_queue_name varchar,
    p_candidate_groups text[] DEFAULT NULL,
    p_candidate_users text[] DEFAULT NULL
) RETURNS TABLE (user_id varchar, strategy varchar)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_assignment record;
    v_user varchar;
BEGIN
    -- A loop over the queue's auto-assigning roles (a handful of rows), best priority_level first:
    -- the first role with an eligible holder gets the task, by that role's own strategy.
    FOR v_assignment IN
        SELECT qa.assignment_id, qa.role_id, wr.role_code, qa.assignment_strategy, qa.max_tasks_per_user,
               qa.metadata ->> 'rr_last_user_id' AS rr_last
        FROM flowable.queue_assignments qa
        JOIN flowable.workflow_queues q ON q.queue_id = qa.queue_id
        JOIN entitlements.workflow_roles wr ON wr.role_id = qa.role_id
        WHERE q.queue_name = p_queue_name
          AND qa.is_active IS TRUE AND qa.auto_assign IS TRUE
          AND qa.assignment_strategy IN ('ROUND_ROBIN', 'LEAST_LOADED')
          AND wr.is_active IS TRUE
        ORDER BY qa.priority_level DESC NULLS LAST, qa.assignment_id
    LOOP
        WITH holders AS (
            SELECT u.user_id,
                   (SELECT count(*) FROM flowable.workflow_tasks t
                    WHERE t.assignee_id = u.user_id
                      AND t.status IN ('CLAIMED', 'DELEGATED', 'ESCALATED')
                      AND t.queue_name = p_queue_name) AS load
            FROM entitlements.user_workflow_roles uwr
            JOIN entitlements.users u ON u.user_id = uwr.user_id
            WHERE uwr.role_id = v_assignment.role_id
              AND u.is_active IS TRUE
              AND (uwr.valid_from IS NULL OR uwr.valid_from <= pg_catalog.now())
              AND (uwr.valid_until IS NULL OR uwr.valid_until > pg_catalog.now())
              -- a task offered to particular groups or users goes only to them
              -- (a candidate group counts when the holder holds it now, whichever role that is)
              AND (   (COALESCE(cardinality(p_candidate_groups), 0) = 0 AND COALESCE(cardinality(p_candidate_users), 0) = 0)
                   OR v_assignment.role_code = ANY (p_candidate_groups)
                   OR u.user_id = ANY (p_candidate_users)
                   OR EXISTS (SELECT 1 FROM entitlements.current_grants g
                              WHERE g.user_id = u.user_id AND g.role_code = ANY (p_candidate_groups)))
        )
        SELECT h.user_id INTO v_user
        FROM holders h
        WHERE v_assignment.max_tasks_per_user IS NULL OR h.load < v_assignment.max_tasks_per_user
        ORDER BY
            CASE WHEN v_assignment.assignment_strategy = 'LEAST_LOADED' THEN h.load END,
            -- ROUND_ROBIN: the next user_id after the last one assigned, wrapping around
            CASE WHEN v_assignment.assignment_strategy = 'ROUND_ROBIN'
                 THEN h.user_id <= COALESCE(v_assignment.rr_last, '') END,
            h.user_id
        LIMIT 1;

        IF v_user IS NOT NULL THEN
            IF v_assignment.assignment_strategy = 'ROUND_ROBIN' THEN
                UPDATE flowable.queue_assignments
                SET metadata = COALESCE(metadata, '{}'::jsonb) || pg_catalog.jsonb_build_object('rr_last_user_id', v_user)
                WHERE assignment_id = v_assignment.assignment_id;
            END IF;
            RETURN QUERY SELECT v_user, v_assignment.assignment_strategy::varchar;
            RETURN;
        END IF;
    END LOOP;
END;
$$;

COMMENT ON FUNCTION flowable.pick_assignee(varchar, text[], text[]) IS
    'Auto-assignment: among the active auto_assign queue_assignments of the queue, highest priority_level first, the first role with an eligible holder (valid grant, active user, fewer than max_tasks_per_user unfinished tasks of the queue, one of the task''s candidates if it names any: a candidate user, or a holder now of one of its candidate groups, whichever role made them eligible) gives the user: LEAST_LOADED takes the holder with the fewest such tasks, ROUND_ROBIN the next user_id after the last one it assigned. No row when nobody is eligible. Callers hold the queue row lock (create_task does), so concurrent assignments see each other.';

REVOKE ALL ON FUNCTION flowable.pick_assignee(varchar, text[], text[]) FROM PUBLIC;
