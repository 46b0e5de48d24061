-- The queues whose every task (claimed by anyone or not) the current identity may see: every
-- queue of the department of each role it validly holds with permissions.view_all or
-- permissions.supervise (a supervisor sees what it may reassign and cancel).
-- Used by task_access_policy (called once per query through a scalar subquery).
CREATE OR REPLACE FUNCTION entitlements.supervised_queue_names()
RETURNS text[]
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
-- PL/pgSQL rather than SQL so the query plan is cached across calls.
BEGIN
    RETURN (
        SELECT COALESCE(array_agg(DISTINCT q.queue_name::text), '{}'::text[])
        FROM entitlements.current_grants g
        JOIN flowable.workflow_queues q ON q.department_id = g.department_id
        WHERE g.user_id = entitlements.current_user_id()
          AND (COALESCE(g.permissions ->> 'view_all', 'false') = 'true'
               OR COALESCE(g.permissions ->> 'supervise', 'false') = 'true'));
END;
$$;

COMMENT ON FUNCTION entitlements.supervised_queue_names() IS
    'Queues whose every task the current identity may see: each queue of the department of a role it validly holds whose permissions has "view_all": true or "supervise": true. Empty when no identity is set.';

REVOKE ALL ON FUNCTION entitlements.supervised_queue_names() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.supervised_queue_names() TO pgwf_app, pgwf_worker, pgwf_reporting;
