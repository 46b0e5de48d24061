-- The time-driven work of pgwf in one call, run every minute by `pgwf scheduler` or pg_cron:
-- fire due schedules, escalate overdue queue tasks, expire approvals, recover expired worker
-- leases. Several callers at once are safe: a transaction-level advisory lock lets one do the
-- work and the others return at once with skipped = true.
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
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('pgwf.run_maintenance')) THEN
        RETURN jsonb_build_object('skipped', true, 'reason', 'another run_maintenance is running');
    END IF;
    v_fired := automation.fire_due_schedules();
    SELECT count(*) INTO v_escalated FROM flowable.workflow_tasks WHERE escalated_at >= now();
    CALL flowable.escalate_overdue_tasks();
    SELECT count(*) - v_escalated INTO v_escalated FROM flowable.workflow_tasks WHERE escalated_at >= now();
    v_expired := automation.expire_workflow_approvals();
    v_recovered := automation.recover_expired_leases();
    RETURN jsonb_build_object('skipped', false, 'schedules_fired', v_fired, 'tasks_escalated', v_escalated,
                              'approvals_expired', v_expired, 'leases_recovered', v_recovered, 'ran_at', now());
END;
$$;

COMMENT ON FUNCTION automation.run_maintenance() IS
    'Fires due schedules, escalates overdue tasks (flowable.escalate_overdue_tasks), expires approvals and recovers expired leases; returns the counts. Concurrent calls: one works, the others return {"skipped": true} (advisory lock).';

REVOKE ALL ON FUNCTION automation.run_maintenance() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.run_maintenance() TO pgwf_worker;
