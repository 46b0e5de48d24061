-- Receives a webhook delivery: the active webhook trigger of the endpoint starts a run with the
-- payload when the bearer token matches its stored SHA-256 and the sender's address is inside
-- allowedIPs (inet containment). A refused delivery starts nothing and is logged with the
-- reason (it returns rather than raises, so the log survives) as a small fixed record: no
-- payload, the reason cut to 500 characters (an endpoint named in it to 100). Beyond
-- pgwf.webhook_refusals_per_minute refusals (default 10) a minute from one source (an IPv4
-- address, an IPv6 /64) a refusal is only counted in that source's row of webhook_refusals, so a
-- flood leaves bounded storage. Called by the HTTP API.
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
    v_refusals integer;
    v_allowed integer;
BEGIN
    SELECT * INTO v_trigger FROM automation.workflow_triggers wt
    WHERE wt.trigger_type = 'webhook' AND wt.is_active AND wt.configuration ->> 'endpoint' = p_endpoint
    LIMIT 1;
    IF NOT FOUND THEN
        v_refusal := format('no active webhook trigger at endpoint %s',
                            COALESCE(quote_literal(CASE WHEN length(p_endpoint) > 100 THEN left(p_endpoint, 97) || '...'
                                                        ELSE p_endpoint END), 'NULL'));
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
        v_refusal := left(v_refusal, 500);
        INSERT INTO automation.webhook_refusals AS c (source_network, window_start, refusals)
        VALUES (CASE WHEN p_source_address IS NULL THEN '0.0.0.0/32'::inet
                     WHEN family(p_source_address) = 6 THEN network(set_masklen(p_source_address, 64))
                     ELSE set_masklen(p_source_address, 32) END,
                date_trunc('minute', now()), 1)
        ON CONFLICT (source_network, window_start) DO UPDATE SET refusals = c.refusals + 1
        RETURNING c.refusals INTO v_refusals;
        v_allowed := automation.setting_integer('pgwf.webhook_refusals_per_minute', 10, 0, 1000000);
        IF v_refusals <= v_allowed THEN
            INSERT INTO automation.workflow_trigger_deliveries (trigger_id, trigger_type, idempotency_key, source_address, accepted, reason)
            VALUES (v_trigger.id, 'webhook', left(p_idempotency_key, 255), p_source_address, false, v_refusal);
            RAISE LOG 'pgwf webhook refused from %: %', COALESCE(host(p_source_address), 'unknown address'), v_refusal;
        ELSIF v_refusals = v_allowed + 1 THEN
            RAISE LOG 'pgwf webhook: more than % refusals this minute from %; the rest are only counted (automation.webhook_refusals)',
                v_allowed, COALESCE(host(p_source_address), 'unknown address');
        END IF;
        RETURN QUERY SELECT 'refused'::text, NULL::uuid, v_refusal;
        RETURN;
    END IF;
    RETURN QUERY SELECT * FROM automation.engine_trigger_start(v_trigger, v_payload, p_idempotency_key, p_source_address, now());
END;
$$;

COMMENT ON FUNCTION automation.receive_webhook(varchar, text, inet, jsonb, varchar) IS
    'Starts the run of the webhook trigger at p_endpoint when the token''s SHA-256 matches and the source address is inside allowedIPs; returns started, duplicate (idempotency key seen) or refused with the reason. Accepted deliveries are logged in workflow_trigger_deliveries; refused ones too, without payload and with the reason cut to 500 characters, up to pgwf.webhook_refusals_per_minute (default 10) a minute a source (IPv4 address, IPv6 /64); every refusal is counted in webhook_refusals.';

REVOKE ALL ON FUNCTION automation.receive_webhook(varchar, text, inet, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.receive_webhook(varchar, text, inet, jsonb, varchar) TO pgwf_app;
