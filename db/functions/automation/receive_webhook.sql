-- Receives a webhook delivery: the active webhook trigger of the endpoint starts a run with the
-- payload when the bearer token matches its stored SHA-256 and the sender's address is inside
-- allowedIPs (inet containment). A refused delivery starts nothing and is logged with the
-- reason (it returns rather than raises, so the log survives). Called by the HTTP API.
CREATE OR REPLACE FUNCTION automation.receive_webhook(
    p_endpoint varchar,
    p_token text,
    p_source_address inet,
    p_payload jsonb DEFAULT '{}'::jsonb,
    p_idempotency_key varchar DEFAULT NULL
)
RETURNS TABLE (status text, instance_id uuid, reason text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_trigger automation.workflow_triggers;
    v_refusal text;
    v_payload jsonb := COALESCE(p_payload, '{}'::jsonb);
BEGIN
    SELECT * INTO v_trigger FROM automation.workflow_triggers wt
    WHERE wt.trigger_type = 'webhook' AND wt.is_active AND wt.configuration ->> 'endpoint' = p_endpoint
    LIMIT 1;
    IF NOT FOUND THEN
        v_refusal := format('no active webhook trigger at endpoint %s', COALESCE(quote_literal(p_endpoint), 'NULL'));
    ELSIF p_token IS NULL OR v_trigger.token_hash IS NULL
          OR encode(sha256(convert_to(p_token, 'UTF8')), 'hex') <> v_trigger.token_hash THEN
        v_refusal := 'wrong or missing token';
    ELSIF jsonb_typeof(v_trigger.configuration -> 'allowedIPs') = 'array'
          AND jsonb_array_length(v_trigger.configuration -> 'allowedIPs') > 0
          AND (p_source_address IS NULL OR NOT EXISTS (
              SELECT 1 FROM jsonb_array_elements_text(v_trigger.configuration -> 'allowedIPs') a
              WHERE p_source_address <<= a::cidr)) THEN
        v_refusal := format('source address %s is not in allowedIPs', COALESCE(host(p_source_address), 'NULL'));
    ELSIF jsonb_typeof(v_payload) <> 'object' THEN
        v_refusal := 'the payload must be a JSON object';
    END IF;

    IF v_refusal IS NOT NULL THEN
        INSERT INTO automation.workflow_trigger_deliveries (trigger_id, trigger_type, idempotency_key, source_address, accepted, reason, payload)
        VALUES (v_trigger.id, 'webhook', p_idempotency_key, p_source_address, false, v_refusal,
                CASE WHEN jsonb_typeof(v_payload) = 'object' THEN v_payload END);
        RAISE LOG 'pgwf webhook refused at %: %', p_endpoint, v_refusal;
        RETURN QUERY SELECT 'refused'::text, NULL::uuid, v_refusal;
        RETURN;
    END IF;
    RETURN QUERY SELECT * FROM automation.engine_trigger_start(v_trigger, v_payload, p_idempotency_key, p_source_address, now());
END;
$$;

COMMENT ON FUNCTION automation.receive_webhook(varchar, text, inet, jsonb, varchar) IS
    'Starts the run of the webhook trigger at p_endpoint when the token''s SHA-256 matches and the source address is inside allowedIPs; returns started, duplicate (idempotency key seen) or refused with the reason. Every delivery is logged in workflow_trigger_deliveries.';

REVOKE ALL ON FUNCTION automation.receive_webhook(varchar, text, inet, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.receive_webhook(varchar, text, inet, jsonb, varchar) TO pgwf_app;
