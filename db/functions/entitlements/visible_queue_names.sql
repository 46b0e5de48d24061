-- The queues whose tasks the current identity may see: the queue of each role it validly
-- holds, and, for roles with permissions.view_all or permissions.supervise (a supervisor sees
-- what it may reassign and cancel), every queue of the role's department.
-- Used by the RLS policies of flowable (called once per query through a scalar subquery).
CREATE OR REPLACE FUNCTION entitlements.visible_queue_names()
RETURNS text[]
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
-- PL/pgSQL rather than SQL so the query plan is cached across calls.
BEGIN
    RETURN (WITH held AS (
        SELECT g.queue_name, g.department_id,
               (COALESCE(g.permissions ->> 'view_all', 'false') = 'true'
                OR COALESCE(g.permissions ->> 'supervise', 'false') = 'true') AS view_all
        FROM entitlements.current_grants g
        WHERE g.user_id = entitlements.current_user_id()
    )
    SELECT COALESCE(array_agg(DISTINCT v.queue_name), '{}'::text[])
    FROM (
        SELECT h.queue_name::text AS queue_name FROM held h WHERE h.queue_name IS NOT NULL
        UNION ALL
        SELECT q.queue_name::text
        FROM held h
        JOIN flowable.workflow_queues q ON q.department_id = h.department_id
        WHERE h.view_all
    ) v);
END;
$$;

COMMENT ON FUNCTION entitlements.visible_queue_names() IS
    'Queues the current identity (app.current_user_id) may see: the queue_name of each role it validly holds (valid_from <= now() < valid_until, role and user active) plus, for a role whose permissions has "view_all": true or "supervise": true, every queue of that role''s department. Empty when no identity is set.';

REVOKE ALL ON FUNCTION entitlements.visible_queue_names() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION entitlements.visible_queue_names() TO pgwf_app, pgwf_worker, pgwf_reporting;
