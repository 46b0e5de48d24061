-- Whether a user may take a task: only an active user holding a role valid now, and then when a
-- candidate group is a role they hold now, or they are a candidate user, or the task names no
-- candidates and a role they hold works its queue.
CREATE OR REPLACE FUNCTION flowable.may_claim(p_user_id varchar, p_task flowable.workflow_tasks)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- a user who may not work (inactive, no role valid now) gets nothing, not even a task naming them
    RETURN (entitlements.has_valid_role(p_user_id)
        AND (p_task.candidate_users @> ARRAY[p_user_id::text]
        OR p_task.candidate_groups && entitlements.user_role_codes(p_user_id)
        OR (COALESCE(cardinality(p_task.candidate_groups), 0) = 0
            AND COALESCE(cardinality(p_task.candidate_users), 0) = 0
            AND EXISTS (SELECT 1 FROM entitlements.workflow_roles wr
                        WHERE wr.role_code = ANY (entitlements.user_role_codes(p_user_id))
                          AND wr.queue_name = p_task.queue_name))))
        IS TRUE;
END;
$$;

COMMENT ON FUNCTION flowable.may_claim(varchar, flowable.workflow_tasks) IS
    'True when the user is active, holds a role valid now and may take the task: holds one of its candidate_groups now (valid grant, active role and user), is one of its candidate_users, or the task names no candidates and a role the user holds works its queue. The rule claim_next_task applies in bulk.';

REVOKE ALL ON FUNCTION flowable.may_claim(varchar, flowable.workflow_tasks) FROM PUBLIC;
