-- Whether a user supervises a queue: holds now a role with permissions.supervise that works the
-- queue or belongs to the queue's department. Used by reassign_task and cancel_task.
CREATE OR REPLACE FUNCTION flowable.is_queue_supervisor(p_user_id varchar, p_queue_name varchar)
RETURNS boolean
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1
        FROM entitlements.workflow_roles wr
        JOIN flowable.workflow_queues q ON q.queue_name = p_queue_name
        WHERE wr.role_code = ANY (entitlements.user_role_codes(p_user_id))
          AND COALESCE(wr.permissions ->> 'supervise', 'false') = 'true'
          AND (wr.queue_name = q.queue_name OR wr.department_id = q.department_id)
    );
END;
$$;

COMMENT ON FUNCTION flowable.is_queue_supervisor(varchar, varchar) IS
    'True when the user holds now a role whose permissions has "supervise": true and that works the queue (queue_name) or belongs to the queue''s department.';

REVOKE ALL ON FUNCTION flowable.is_queue_supervisor(varchar, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.is_queue_supervisor(varchar, varchar) TO pgwf_app;
