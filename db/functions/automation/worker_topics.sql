-- The worker topics work waits on: the topics ("connector") of the worker nodes of every active
-- deployed version, and of every step still pending, with how many steps wait on each. The
-- worker compares them with the connectors it has at startup (pgwf worker logs the ones nobody
-- it knows performs), so no run waits silently for a worker that does not exist. Called by the
-- worker (pgwf_worker) and by `pgwf process check`.
CREATE OR REPLACE FUNCTION automation.worker_topics()
RETURNS TABLE (topic varchar, workflow_keys varchar[], waiting_steps bigint)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    WITH needed AS (
        SELECT (n.configuration ->> 'connector')::varchar AS topic, w.workflow_key
        FROM automation.workflow_nodes n
        JOIN automation.workflows w ON w.id = n.workflow_id
        JOIN flowable.workflow_definitions d ON d.deployment_id = w.id::text AND d.is_active IS TRUE
        WHERE n.node_type IN ('action', 'integration') AND n.is_enabled
          AND COALESCE(n.configuration ->> 'connector', '') <> ''
    ), waiting AS (
        SELECT (e.input_data ->> 'connector')::varchar AS topic, count(*) AS steps
        FROM automation.workflow_executions e
        WHERE e.status = 'pending' AND e.step_type IN ('action', 'integration')
        GROUP BY 1
    )
    SELECT t.topic,
           COALESCE((SELECT array_agg(DISTINCT n.workflow_key ORDER BY n.workflow_key) FROM needed n WHERE n.topic = t.topic),
                    ARRAY[]::varchar[]),
           COALESCE((SELECT w.steps FROM waiting w WHERE w.topic IS NOT DISTINCT FROM t.topic), 0)
    FROM (SELECT topic FROM needed UNION SELECT topic FROM waiting) t
    WHERE t.topic IS NOT NULL
    ORDER BY t.topic;
$$;

COMMENT ON FUNCTION automation.worker_topics() IS
    'The worker topics of the active versions'' worker nodes and of pending steps: each with the workflow keys that need it and the steps waiting on it.';

REVOKE ALL ON FUNCTION automation.worker_topics() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.worker_topics() TO pgwf_worker;
