-- Engine helper: a run whose branches have all ended completes: status completed (progress 100
-- and completed_at follow by trigger), output_data = its variables, execution_metrics; a
-- workflow_complete notification is queued when the workflow configures one.
CREATE OR REPLACE FUNCTION automation.engine_complete_run(p_instance_id uuid)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions (it runs as their owner
-- with their search_path), so it needs no definer rights or search_path switch of its own
DECLARE
    v_done jsonb;
    v_workflow_id uuid;
BEGIN
    UPDATE automation.workflow_instances
    SET status = 'completed',
        output_data = COALESCE(execution_context -> 'variables', '{}'::jsonb),
        execution_metrics = automation.engine_run_metrics(p_instance_id)
    WHERE id = p_instance_id AND status = 'running'
    RETURNING workflow_id INTO v_workflow_id;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    -- the top level's event sub-processes stop listening with it
    DELETE FROM automation.workflow_event_subscriptions WHERE instance_id = p_instance_id;
    SELECT w.configuration #> '{notifications,onComplete}' INTO v_done FROM automation.workflows w WHERE w.id = v_workflow_id;
    IF jsonb_typeof(v_done) = 'object' THEN
        INSERT INTO automation.workflow_notifications (workflow_id, instance_id, notification_type, channel,
                                                       recipients, subject, notification_data)
        VALUES (v_workflow_id, p_instance_id, 'workflow_complete', COALESCE(v_done ->> 'channel', 'email'),
                v_done -> 'recipients', 'Workflow run completed',
                jsonb_build_object('template', COALESCE(v_done ->> 'template', 'workflow_complete')));
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_complete_run(uuid) IS
    'Completes a running run: status completed, output_data = variables, execution_metrics; queues a workflow_complete notification if configuration.notifications.onComplete is set.';

REVOKE ALL ON FUNCTION automation.engine_complete_run(uuid) FROM PUBLIC;
