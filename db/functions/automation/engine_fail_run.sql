-- Engine helper: a run fails with a message (routing found no way on, a step failed for good,
-- an approval expired without an expired edge, the step limit was passed). Its open work is
-- closed and an error_alert notification is queued when the workflow configures one; the call
-- activity that started it, if any, learns of it (engine_call_ended).
CREATE OR REPLACE FUNCTION automation.engine_fail_run(p_instance_id uuid, p_error text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_alert jsonb;
    v_workflow_id uuid;
    v_parent_id uuid;
BEGIN
    UPDATE automation.workflow_instances
    SET status = 'failed',
        error_details = p_error,
        execution_metrics = automation.engine_run_metrics(p_instance_id)
    WHERE id = p_instance_id AND status IN ('pending', 'running', 'paused')
    RETURNING workflow_id, parent_instance_id INTO v_workflow_id, v_parent_id;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    PERFORM automation.engine_close_open_work(p_instance_id, 'run failed: ' || p_error);

    SELECT w.configuration #> '{notifications,onError}' INTO v_alert FROM automation.workflows w WHERE w.id = v_workflow_id;
    IF jsonb_typeof(v_alert) = 'object' THEN
        INSERT INTO automation.workflow_notifications (workflow_id, instance_id, notification_type, channel,
                                                       recipients, subject, message, notification_data)
        VALUES (v_workflow_id, p_instance_id, 'error_alert', COALESCE(v_alert ->> 'channel', 'email'),
                v_alert -> 'recipients', left('Workflow run failed: ' || p_error, 255), p_error,
                jsonb_build_object('template', COALESCE(v_alert ->> 'template', 'error_alert')));
    END IF;
    -- a child run of a call activity: its caller learns of the failure (engine_call_failed)
    IF v_parent_id IS NOT NULL THEN
        PERFORM automation.engine_call_ended(p_instance_id);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_fail_run(uuid, text) IS
    'Fails a run that is not yet stopped: status failed with error_details, metrics, open work closed, an error_alert queued if configuration.notifications.onError is set; a child run''s caller learns of it (engine_call_ended).';

REVOKE ALL ON FUNCTION automation.engine_fail_run(uuid, text) FROM PUBLIC;
