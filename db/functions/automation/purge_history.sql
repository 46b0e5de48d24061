-- History retention: removes the expired run trees automation.expired_history lists (at most
-- p_batch of them) with everything they own, or with p_dry_run only counts it. A duty of
-- run_maintenance; `pgwf db cleanup` calls it in a loop, one transaction per batch.
CREATE OR REPLACE FUNCTION automation.purge_history(p_batch integer DEFAULT 500, p_dry_run boolean DEFAULT false)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_pids varchar[];
    v_runs uuid[];
    v_steps uuid[];
    v_report jsonb;
    v_n integer;
BEGIN
    -- a dry run may count everything (NULL); a purge is always bounded
    IF (p_batch IS NULL AND NOT p_dry_run) OR p_batch NOT BETWEEN 1 AND 10000 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = format('batch must be a whole number from 1 to 10000, not %s', coalesce(p_batch::text, 'NULL'));
    END IF;
    IF p_dry_run THEN
        SELECT coalesce(array_agg(e.process_instance_id), '{}'), coalesce(array_agg(e.run_id) FILTER (WHERE e.run_id IS NOT NULL), '{}')
        INTO v_pids, v_runs
        FROM automation.expired_history(p_batch) e;
    ELSE
        -- Lock the rows of every member, skipping any another transaction holds (a retry, a
        -- report that locks): a tree with a member skipped, or that came back to life between
        -- the listing and the lock (FOR UPDATE re-reads the status), waits for the next batch.
        WITH expired AS (
            SELECT * FROM automation.expired_history(p_batch)
        ),
        locked_runs AS (
            SELECT i.id FROM automation.workflow_instances i
            WHERE i.id IN (SELECT e.run_id FROM expired e)
              AND i.status IN ('completed', 'failed', 'cancelled')
            FOR UPDATE SKIP LOCKED
        ),
        locked_instances AS (
            SELECT p.process_instance_id FROM flowable.process_instances p
            WHERE p.process_instance_id IN (SELECT e.process_instance_id FROM expired e)
            FOR UPDATE SKIP LOCKED
        ),
        incomplete AS (
            SELECT e.root_process_instance_id AS root FROM expired e
            WHERE (e.run_id IS NOT NULL AND e.run_id NOT IN (SELECT l.id FROM locked_runs l))
               OR (e.run_id IS NULL AND e.process_instance_id NOT IN (SELECT l.process_instance_id FROM locked_instances l))
        )
        SELECT coalesce(array_agg(e.process_instance_id), '{}'), coalesce(array_agg(e.run_id) FILTER (WHERE e.run_id IS NOT NULL), '{}')
        INTO v_pids, v_runs
        FROM expired e
        WHERE e.root_process_instance_id NOT IN (SELECT c.root FROM incomplete c);
    END IF;

    SELECT coalesce(array_agg(x.id), '{}') INTO v_steps
    FROM automation.workflow_executions x WHERE x.instance_id = ANY (v_runs);

    IF p_dry_run THEN
        SELECT jsonb_build_object(
            'runs', cardinality(v_runs),
            'process_instances', (SELECT count(*) FROM flowable.process_instances p WHERE p.process_instance_id = ANY (v_pids)),
            'steps', cardinality(v_steps),
            'approvals', (SELECT count(*) FROM automation.workflow_approvals a WHERE a.execution_id = ANY (v_steps)),
            'notifications', (SELECT count(*) FROM automation.workflow_notifications n
                              WHERE n.instance_id = ANY (v_runs) OR n.execution_id = ANY (v_steps)),
            'subscriptions', (SELECT count(*) FROM automation.workflow_event_subscriptions s WHERE s.instance_id = ANY (v_runs)),
            'tokens', (SELECT count(*) FROM automation.workflow_tokens k WHERE k.instance_id = ANY (v_runs)),
            'tasks', (SELECT count(*) FROM flowable.workflow_tasks t WHERE t.process_instance_id = ANY (v_pids)),
            'task_history', (SELECT count(*) FROM flowable.task_history h WHERE h.process_instance_id = ANY (v_pids)),
            'variables', (SELECT count(*) FROM flowable.workflow_variables v
                          WHERE v.process_instance_id = ANY (v_pids)
                             OR v.task_id IN (SELECT t.task_id FROM flowable.workflow_tasks t WHERE t.process_instance_id = ANY (v_pids))),
            'case_mappings', (SELECT count(*) FROM onecms.case_workflow_mapping m WHERE m.process_instance_id = ANY (v_pids)))
        INTO v_report;
        RETURN v_report || jsonb_build_object('dry_run', true);
    END IF;

    -- Children before parents, so no foreign key is left pointing at a removed row and no
    -- cascade does work unseen (the counts are of the rows each statement removed).
    v_report := jsonb_build_object('runs', cardinality(v_runs));
    DELETE FROM automation.workflow_notifications n WHERE n.instance_id = ANY (v_runs) OR n.execution_id = ANY (v_steps);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_report := v_report || jsonb_build_object('notifications', v_n);
    DELETE FROM automation.workflow_approvals a WHERE a.execution_id = ANY (v_steps);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_report := v_report || jsonb_build_object('approvals', v_n);
    DELETE FROM automation.workflow_event_subscriptions s WHERE s.instance_id = ANY (v_runs);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_report := v_report || jsonb_build_object('subscriptions', v_n);
    DELETE FROM automation.workflow_tokens k WHERE k.instance_id = ANY (v_runs);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_report := v_report || jsonb_build_object('tokens', v_n);
    DELETE FROM automation.workflow_executions x WHERE x.id = ANY (v_steps);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_report := v_report || jsonb_build_object('steps', v_n);
    DELETE FROM flowable.workflow_variables v
    WHERE v.process_instance_id = ANY (v_pids)
       OR v.task_id IN (SELECT t.task_id FROM flowable.workflow_tasks t WHERE t.process_instance_id = ANY (v_pids));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_report := v_report || jsonb_build_object('variables', v_n);
    DELETE FROM flowable.workflow_tasks t WHERE t.process_instance_id = ANY (v_pids);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_report := v_report || jsonb_build_object('tasks', v_n);
    DELETE FROM flowable.task_history h WHERE h.process_instance_id = ANY (v_pids);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_report := v_report || jsonb_build_object('task_history', v_n);
    DELETE FROM onecms.case_workflow_mapping m WHERE m.process_instance_id = ANY (v_pids);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_report := v_report || jsonb_build_object('case_mappings', v_n);
    DELETE FROM flowable.process_instances p WHERE p.process_instance_id = ANY (v_pids);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_report := v_report || jsonb_build_object('process_instances', v_n);
    -- one statement for the whole tree: the self-reference (parent_instance_id) is checked at its end
    DELETE FROM automation.workflow_instances i WHERE i.id = ANY (v_runs);
    RETURN v_report || jsonb_build_object('dry_run', false);
END;
$$;

COMMENT ON FUNCTION automation.purge_history(integer, boolean) IS
    'History retention: removes at most p_batch (1..10000, else PW400) expired run trees (automation.expired_history) with their steps, approvals, notifications, event subscriptions, tokens, tasks, variables, task history and case mappings, locking only their own finished rows (SKIP LOCKED: a tree another transaction holds waits for a later batch); returns the rows removed per kind ({"runs", "process_instances", "steps", "approvals", "notifications", "subscriptions", "tokens", "tasks", "task_history", "variables", "case_mappings", "dry_run"}). p_dry_run: removes nothing and returns what would go (p_batch NULL: everything expired).';

REVOKE ALL ON FUNCTION automation.purge_history(integer, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.purge_history(integer, boolean) TO pgwf_worker;
