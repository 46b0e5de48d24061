-- The time-driven work of pgwf in one call, run every minute by `pgwf scheduler` or pg_cron:
-- fire due schedules and the due timers of runs, escalate overdue queue tasks, expire approvals, recover expired worker
-- leases, close queue tasks left open by a stopped run or a closed approval, purge the trigger
-- delivery log and idempotency keys after their retention, remove one batch of expired history (purge_history), keep the task_history partitions. Several callers at once are safe: a transaction-level advisory lock lets one do the
-- work and the others return at once with skipped = true. Each duty runs in its own
-- sub-transaction, so one that fails (reported in errors) does not undo or stop the others.
CREATE OR REPLACE FUNCTION automation.run_maintenance()
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_fired integer;
    v_expired integer;
    v_recovered integer;
    v_escalated integer;
    v_closed integer;
    v_timers integer;
    v_purged integer;
    v_keys integer;
    v_history jsonb;
    v_partitions jsonb;
    v_errors jsonb := '[]'::jsonb;
    v_state text;
    v_msg text;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('pgwf.run_maintenance')) THEN
        RETURN jsonb_build_object('skipped', true, 'reason', 'another run_maintenance is running');
    END IF;
    -- Each duty runs in its own sub-transaction: one that fails is rolled back alone, reported
    -- (WARNING and the result's errors) and its count is NULL, while the others still happen.
    BEGIN
        v_fired := automation.fire_due_schedules();
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        RAISE WARNING 'run_maintenance: fire_due_schedules failed (SQLSTATE %): %', v_state, v_msg;
        v_errors := v_errors || jsonb_build_object('duty', 'schedules', 'sqlstate', v_state, 'message', v_msg);
    END;
    BEGIN
        v_timers := automation.fire_due_timers();
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        RAISE WARNING 'run_maintenance: fire_due_timers failed (SQLSTATE %): %', v_state, v_msg;
        v_errors := v_errors || jsonb_build_object('duty', 'timers', 'sqlstate', v_state, 'message', v_msg);
    END;
    BEGIN
        CALL flowable.escalate_overdue_tasks(v_escalated);
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        RAISE WARNING 'run_maintenance: escalate_overdue_tasks failed (SQLSTATE %): %', v_state, v_msg;
        v_errors := v_errors || jsonb_build_object('duty', 'escalation', 'sqlstate', v_state, 'message', v_msg);
    END;
    BEGIN
        v_expired := automation.expire_workflow_approvals();
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        RAISE WARNING 'run_maintenance: expire_workflow_approvals failed (SQLSTATE %): %', v_state, v_msg;
        v_errors := v_errors || jsonb_build_object('duty', 'approvals', 'sqlstate', v_state, 'message', v_msg);
    END;
    BEGIN
        v_recovered := automation.recover_expired_leases();
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        RAISE WARNING 'run_maintenance: recover_expired_leases failed (SQLSTATE %): %', v_state, v_msg;
        v_errors := v_errors || jsonb_build_object('duty', 'leases', 'sqlstate', v_state, 'message', v_msg);
    END;
    -- after the approvals, so tasks their expiry had to skip are closed in the same call
    BEGIN
        v_closed := automation.close_orphaned_tasks();
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        RAISE WARNING 'run_maintenance: close_orphaned_tasks failed (SQLSTATE %): %', v_state, v_msg;
        v_errors := v_errors || jsonb_build_object('duty', 'orphaned_tasks', 'sqlstate', v_state, 'message', v_msg);
    END;
    BEGIN
        v_purged := automation.purge_trigger_deliveries();
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        RAISE WARNING 'run_maintenance: purge_trigger_deliveries failed (SQLSTATE %): %', v_state, v_msg;
        v_errors := v_errors || jsonb_build_object('duty', 'deliveries', 'sqlstate', v_state, 'message', v_msg);
    END;
    BEGIN
        v_keys := automation.purge_idempotency_keys();
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        RAISE WARNING 'run_maintenance: purge_idempotency_keys failed (SQLSTATE %): %', v_state, v_msg;
        v_errors := v_errors || jsonb_build_object('duty', 'idempotency_keys', 'sqlstate', v_state, 'message', v_msg);
    END;
    -- last: history retention, one bounded batch a call (pgwf.history_cleanup_batch, default 500)
    BEGIN
        v_history := automation.purge_history(automation.setting_integer('pgwf.history_cleanup_batch', 500, 1, 10000));
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        RAISE WARNING 'run_maintenance: purge_history failed (SQLSTATE %): %', v_state, v_msg;
        v_errors := v_errors || jsonb_build_object('duty', 'history', 'sqlstate', v_state, 'message', v_msg);
    END;
    BEGIN
        v_partitions := automation.maintain_partitions();
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        RAISE WARNING 'run_maintenance: maintain_partitions failed (SQLSTATE %): %', v_state, v_msg;
        v_errors := v_errors || jsonb_build_object('duty', 'partitions', 'sqlstate', v_state, 'message', v_msg);
    END;
    RETURN jsonb_build_object('skipped', false, 'schedules_fired', v_fired, 'timers_fired', v_timers, 'tasks_escalated', v_escalated,
                              'approvals_expired', v_expired, 'leases_recovered', v_recovered, 'tasks_closed', v_closed,
                              'deliveries_purged', v_purged, 'idempotency_keys_purged', v_keys,
                              'history_removed', v_history, 'partitions', v_partitions,
                              'errors', v_errors, 'ran_at', now());
END;
$$;

COMMENT ON FUNCTION automation.run_maintenance() IS
    'Fires due schedules and due run timers (fire_due_timers, timers_fired), escalates overdue tasks (flowable.escalate_overdue_tasks), expires approvals, recovers expired leases and closes queue tasks left open by a stopped run or closed approval (close_orphaned_tasks, tasks_closed), purges the trigger delivery log after its retention (purge_trigger_deliveries, deliveries_purged) and idempotency keys after pgwf.idempotency_key_hours (purge_idempotency_keys, idempotency_keys_purged), removes one batch (pgwf.history_cleanup_batch, default 500) of finished runs past their history time-to-live (purge_history, history_removed: its report), then makes the task_history months ahead and drops expired ones (maintain_partitions, partitions); returns the counts. Each duty runs in its own sub-transaction: one that fails is rolled back alone, raised as a WARNING and listed in errors (duty, sqlstate, message) with a NULL count, and the others still happen. Concurrent calls: one works, the others return {"skipped": true} (advisory lock).';

REVOKE ALL ON FUNCTION automation.run_maintenance() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.run_maintenance() TO pgwf_worker;
