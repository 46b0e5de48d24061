-- Engine helper: a run whose branches have all ended completes: status completed (progress 100
-- and completed_at follow by trigger), output_data = its variables, execution_metrics; a
-- workflow_complete notification is queued when the workflow configures one; the call activity
-- that started it, if any, goes on (engine_call_ended).
CREATE OR REPLACE FUNCTION automation.engine_complete_run(p_instance_id uuid)
RETURNS void
LANGUAGE plpgsql
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions (it runs as their owner
-- with their search_path), so it needs no definer rights or search_path switch of its own
DECLARE
    v_done jsonb;
    v_workflow_id uuid;
    v_parent_id uuid;
BEGIN
    UPDATE automation.workflow_instances
    SET status = 'completed',
        output_data = COALESCE(execution_context -> 'variables', '{}'::jsonb),
        execution_metrics = automation.engine_run_metrics(p_instance_id)
    WHERE id = p_instance_id AND status = 'running'
    RETURNING workflow_id, parent_instance_id INTO v_workflow_id, v_parent_id;
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
    -- a child run of a call activity: the caller's call step finishes with it
    IF v_parent_id IS NOT NULL THEN
        PERFORM automation.engine_call_ended(p_instance_id);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_complete_run(uuid) IS
    'Completes a running run: status completed, output_data = variables, execution_metrics; queues a workflow_complete notification if configuration.notifications.onComplete is set; a child run''s caller goes on (engine_call_ended).';

REVOKE ALL ON FUNCTION automation.engine_complete_run(uuid) FROM PUBLIC;
