-- Starts the run of a trigger (schedule, event, webhook): the trigger's current target version,
-- last_triggered and trigger_count maintained, and the delivery logged with its idempotency key
-- so a repeated delivery starts nothing (logged without its payload, as a refusal is). Returns (status, instance_id, reason) with status
-- started, duplicate or refused. Used by fire_due_schedules, publish_event and receive_webhook.
CREATE OR REPLACE FUNCTION automation.engine_trigger_start(
    p_trigger automation.workflow_triggers,
    p_input jsonb,
    p_idempotency_key varchar,
    p_source_address inet,
    p_fired_at timestamptz
)
RETURNS TABLE (status text, instance_id uuid, reason text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_delivery uuid;
    v_target uuid := automation.trigger_target_version(p_trigger.workflow_id);
    v_run uuid;
BEGIN
    IF v_target IS NULL THEN
        INSERT INTO automation.workflow_trigger_deliveries (trigger_id, trigger_type, idempotency_key, source_address, accepted, reason)
        VALUES (p_trigger.id, p_trigger.trigger_type, p_idempotency_key, p_source_address, false, 'the workflow has no deployed version');
        RETURN QUERY SELECT 'refused'::text, NULL::uuid, 'the workflow has no deployed version'::text;
        RETURN;
    END IF;

    INSERT INTO automation.workflow_trigger_deliveries (trigger_id, trigger_type, idempotency_key, source_address, accepted, payload)
    VALUES (p_trigger.id, p_trigger.trigger_type, p_idempotency_key, p_source_address, true, p_input)
    ON CONFLICT (trigger_id, idempotency_key) WHERE accepted AND idempotency_key IS NOT NULL DO NOTHING
    RETURNING id INTO v_delivery;
    IF v_delivery IS NULL THEN
        INSERT INTO automation.workflow_trigger_deliveries (trigger_id, trigger_type, idempotency_key, source_address, accepted, reason)
        VALUES (p_trigger.id, p_trigger.trigger_type, p_idempotency_key, p_source_address, false, 'duplicate delivery');
        RETURN QUERY
        SELECT 'duplicate'::text, d.instance_id, 'a delivery with this idempotency key was already accepted'::text
        FROM automation.workflow_trigger_deliveries d
        WHERE d.trigger_id = p_trigger.id AND d.idempotency_key = p_idempotency_key AND d.accepted;
        RETURN;
    END IF;

    v_run := automation.engine_start_run(v_target, p_input, COALESCE(p_trigger.configuration ->> 'priority', 'normal'),
                                         p_trigger.trigger_type || ':' || p_trigger.id, p_trigger.trigger_type, NULL,
                                         p_trigger.configuration ->> 'nodeId');
    UPDATE automation.workflow_trigger_deliveries SET instance_id = v_run WHERE id = v_delivery;
    UPDATE automation.workflow_triggers
    SET last_triggered = p_fired_at, trigger_count = trigger_count + 1
    WHERE id = p_trigger.id;
    RETURN QUERY SELECT 'started'::text, v_run, NULL::text;
END;
$$;

COMMENT ON FUNCTION automation.engine_trigger_start(automation.workflow_triggers, jsonb, varchar, inet, timestamptz) IS
    'Starts a trigger''s run on its current deployed version, logging the delivery (idempotency key: a repeat starts nothing) and counting the firing. Returns started, duplicate or refused with the run id or the reason.';

REVOKE ALL ON FUNCTION automation.engine_trigger_start(automation.workflow_triggers, jsonb, varchar, inet, timestamptz) FROM PUBLIC;
