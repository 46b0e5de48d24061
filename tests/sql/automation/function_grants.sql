-- Who may call what in schema automation: people (pgwf_app) the model, run, approval and trigger
-- functions; workers (pgwf_worker) the step, outbox and maintenance functions; nobody the
-- engine's internals (engine_*, trigger functions), which only the SECURITY DEFINER entry
-- points reach; PUBLIC nothing.
BEGIN;
SELECT plan(2);

SELECT results_eq(
    $$SELECT p.proname::text COLLATE "default",
             coalesce(string_agg(r.rolname, ',' ORDER BY r.rolname) FILTER (WHERE has_function_privilege(r.rolname, p.oid, 'EXECUTE')), '')
      FROM pg_proc p CROSS JOIN (VALUES ('pgwf_app'), ('pgwf_worker'), ('pgwf_reporting'), ('public')) r(rolname)
      WHERE p.pronamespace = 'automation'::regnamespace
      GROUP BY p.proname ORDER BY 1$$,
    $$VALUES
('approve_step', 'pgwf_app'),
        ('can_see_instance', 'pgwf_app'),
        ('cancel_workflow', 'pgwf_app'),
        ('claim_notifications', 'pgwf_worker'),
        ('claim_steps', 'pgwf_worker'),
        ('close_orphaned_tasks', ''),
        ('complete_step', 'pgwf_worker'),
        ('condition_problem', 'pgwf_app'),
        ('cron_field_values', 'pgwf_app'),
        ('cron_latest_due', 'pgwf_app'),
        ('cron_parse', 'pgwf_app'),
        ('decide_approval', ''),
        ('deploy_workflow', 'pgwf_app'),
        ('engine_advance', ''),
        ('engine_can_reach', ''),
        ('engine_cancel_tasks', ''),
        ('engine_cancel_tokens', ''),
        ('engine_close_open_work', ''),
        ('engine_complete_run', ''),
        ('engine_complete_scope', ''),
        ('engine_control_run', ''),
        ('engine_end_token', ''),
        ('engine_fail_run', ''),
        ('engine_finish_step', ''),
        ('engine_fire_join', ''),
        ('engine_join_ready', ''),
        ('engine_leave', ''),
        ('engine_lock_leased_step', ''),
        ('engine_lock_notification', ''),
        ('engine_next_edges', ''),
        ('engine_run_metrics', ''),
        ('engine_start_run', ''),
        ('engine_trigger_start', ''),
        ('engine_visit_automatic', ''),
        ('engine_visit_join', ''),
        ('engine_visit_queue_task', ''),
        ('engine_visit_subprocess', ''),
        ('engine_visit_worker', ''),
        ('evaluate_condition', 'pgwf_app'),
        ('expire_workflow_approvals', 'pgwf_worker'),
        ('extend_step_lease', 'pgwf_worker'),
        ('fail_step', 'pgwf_worker'),
        ('fill_template', 'pgwf_app'),
        ('fire_due_schedules', 'pgwf_worker'),
        ('guard_locked_workflow', ''),
        ('is_workflow_locked', 'pgwf_app'),
        ('map_instance_status', 'pgwf_app,pgwf_reporting,pgwf_worker'),
        ('mark_notification_failed', 'pgwf_worker'),
        ('mark_notification_sent', 'pgwf_worker'),
        ('pause_workflow', 'pgwf_app'),
        ('publish_event', 'pgwf_app,pgwf_worker'),
        ('receive_webhook', 'pgwf_app'),
        ('recover_expired_leases', 'pgwf_worker'),
        ('refresh_instance_progress', ''),
        ('reject_step', 'pgwf_app'),
        ('require_workflow_admin', ''),
        ('resolve_field', 'pgwf_app,pgwf_worker'),
        ('resume_engine_from_task', ''),
        ('resume_workflow', 'pgwf_app'),
        ('run_maintenance', 'pgwf_worker'),
        ('save_trigger', 'pgwf_app'),
        ('save_workflow', 'pgwf_app'),
        ('set_workflow_instance_status_times', ''),
        ('start_workflow', 'pgwf_app'),
        ('sync_process_instance', ''),
        ('sync_workflow_graph', ''),
        ('timer_cron_fields', 'pgwf_app'),
        ('timer_is_duration', 'pgwf_app'),
        ('timer_next_due', ''),
        ('timer_parse_date', 'pgwf_app'),
        ('timer_problem', 'pgwf_app'),
        ('trigger_target_version', ''),
        ('update_workflow_instance_progress', ''),
        ('user_holds_role', 'pgwf_app,pgwf_worker'),
        ('validate_workflow_graph', 'pgwf_app'),
        ('validate_workflow_paths', 'pgwf_app'),
        ('validate_workflow_scopes', 'pgwf_app')
$$,
    'each automation function is executable by exactly the group roles that call it, internals by nobody');
SELECT is((SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'automation'::regnamespace AND p.prosecdef
           AND NOT (p.proconfig @> ARRAY['search_path=pg_catalog, pg_temp'])), 0::bigint,
    'every SECURITY DEFINER function pins search_path to pg_catalog, pg_temp');

SELECT * FROM finish();
ROLLBACK;
