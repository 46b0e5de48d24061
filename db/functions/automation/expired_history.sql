-- The finished runs whose history has outlived its time-to-live, oldest first: what
-- automation.purge_history removes next, and what `pgwf db cleanup --dry-run` lists. A run tree
-- (a run and the child runs of its call activities) goes whole, with its root: never while one
-- of them is unfinished or still has an unfinished task.
CREATE OR REPLACE FUNCTION automation.expired_history(p_limit integer DEFAULT 500)
RETURNS TABLE (process_instance_id varchar, run_id uuid, root_process_instance_id varchar,
               finished_at timestamptz, history_ttl_days integer)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH RECURSIVE setting AS (
        SELECT automation.setting_integer('pgwf.history_ttl_days', NULL, 0, 36500) AS days
    ),
    -- root runs of the engine: the version's TTL, else its definition's, else the setting. Read
    -- per version, and only for versions with a TTL, each up to its cut-off in
    -- idx_workflow_instances_finished: finished runs that are kept cost nothing here.
    versions AS (
        SELECT w.id AS workflow_id,
               coalesce(w.history_ttl_days,
                        (SELECT d.history_ttl_days FROM flowable.workflow_definitions d
                         WHERE d.deployment_id = w.id::text AND d.history_ttl_days IS NOT NULL
                         ORDER BY d.workflow_id DESC LIMIT 1),
                        s.days) AS days
        FROM automation.workflows w CROSS JOIN setting s
    ),
    engine_roots AS (
        SELECT i.id::text::varchar AS pid, i.id AS run_id, i.completed_at AS finished_at, v.days
        FROM versions v
        CROSS JOIN LATERAL (
            SELECT i.id, i.completed_at FROM automation.workflow_instances i
            WHERE i.workflow_id = v.workflow_id
              AND i.status IN ('completed', 'failed', 'cancelled') AND i.parent_instance_id IS NULL
              AND i.completed_at < now() - make_interval(days => v.days)
            ORDER BY i.completed_at
            LIMIT p_limit
        ) i
        WHERE v.days IS NOT NULL
    ),
    -- closed process instances the engine does not run (case routing written by other means),
    -- per definition with a TTL (idx_process_instances_closed)
    case_roots AS (
        SELECT p.process_instance_id AS pid, NULL::uuid AS run_id, p.completed_at AS finished_at, t.days
        FROM flowable.workflow_definitions d
        CROSS JOIN setting s
        CROSS JOIN LATERAL (SELECT coalesce(d.history_ttl_days, s.days) AS days) t
        CROSS JOIN LATERAL (
            SELECT p.process_instance_id, p.completed_at FROM flowable.process_instances p
            WHERE p.workflow_id = d.workflow_id AND p.status IN ('COMPLETED', 'TERMINATED')
              AND p.completed_at < now() - make_interval(days => t.days)
              AND NOT EXISTS (SELECT 1 FROM automation.workflow_instances i
                              WHERE i.id = CASE WHEN p.process_instance_id
                                                     ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                                THEN p.process_instance_id::uuid END)
              AND (p.parent_process_id IS NULL
                   OR NOT EXISTS (SELECT 1 FROM flowable.process_instances pp
                                  WHERE pp.process_instance_id = p.parent_process_id))
            ORDER BY p.completed_at
            LIMIT p_limit
        ) p
        WHERE t.days IS NOT NULL
    ),
    roots AS (
        SELECT * FROM (SELECT * FROM engine_roots UNION ALL SELECT * FROM case_roots) r
        ORDER BY r.finished_at, r.pid
        LIMIT p_limit
    ),
    tree AS (
        SELECT r.pid, r.run_id, r.pid AS root, r.finished_at, r.days FROM roots r
        UNION ALL
        SELECT c.id::text::varchar, c.id, t.root, t.finished_at, t.days
        FROM tree t
        JOIN automation.workflow_instances c ON c.parent_instance_id = t.run_id
    ),
    -- a tree with a live member or an unfinished task stays whole
    kept AS (
        SELECT t.root FROM tree t
        WHERE EXISTS (SELECT 1 FROM automation.workflow_instances i
                      WHERE i.id = t.run_id AND i.status NOT IN ('completed', 'failed', 'cancelled'))
           OR EXISTS (SELECT 1 FROM flowable.workflow_tasks k
                      WHERE k.process_instance_id = t.pid
                        AND k.status IN ('OPEN', 'CLAIMED', 'DELEGATED', 'ESCALATED'))
    )
    SELECT t.pid, t.run_id, t.root, t.finished_at, t.days
    FROM tree t
    WHERE t.root NOT IN (SELECT k.root FROM kept k)
    ORDER BY t.finished_at, t.root, t.pid;
$$;

COMMENT ON FUNCTION automation.expired_history(integer) IS
    'The finished runs (completed, failed, cancelled) and closed process instances (COMPLETED, TERMINATED) older than their history time-to-live (automation.workflows.history_ttl_days, else flowable.workflow_definitions.history_ttl_days, else the setting pgwf.history_ttl_days; none: kept), oldest first, at most p_limit trees: each row a process instance with its run id (NULL for one the engine does not run), the root of its call-activity tree, when the root finished and the TTL applied. A tree with an unfinished run or task is not listed. Locks nothing.';

REVOKE ALL ON FUNCTION automation.expired_history(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.expired_history(integer) TO pgwf_worker;
