-- Creates or changes a workflow trigger (schedule, event, webhook, manual) after validating its
-- configuration. A new webhook trigger (or p_rotate_token) gets a random bearer token, returned
-- once and stored only as its SHA-256. Called by the API and the CLI as a person.
CREATE OR REPLACE FUNCTION automation.save_trigger(
    p_workflow_id uuid,
    p_trigger_type varchar,
    p_configuration jsonb DEFAULT '{}'::jsonb,
    p_trigger_source varchar DEFAULT NULL,
    p_is_active boolean DEFAULT true,
    p_trigger_id uuid DEFAULT NULL,
    p_rotate_token boolean DEFAULT false
)
RETURNS TABLE (trigger_id uuid, token text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar;
    v_cfg jsonb := COALESCE(p_configuration, '{}'::jsonb);
    v_item text;
    v_token text;
    v_id uuid;
BEGIN
    v_user := entitlements.require_active_user('save_trigger');
    PERFORM automation.require_workflow_admin('save_trigger');
    IF NOT EXISTS (SELECT 1 FROM automation.workflows WHERE id = p_workflow_id) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('workflow %s does not exist', p_workflow_id);
    END IF;
    IF p_trigger_type IS NULL OR p_trigger_type NOT IN ('schedule', 'event', 'webhook', 'manual') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('trigger_type %s is not one of schedule, event, webhook, manual', COALESCE(quote_literal(p_trigger_type), 'NULL'));
    END IF;
    IF jsonb_typeof(v_cfg) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'the trigger configuration must be a JSON object';
    END IF;

    IF p_trigger_type = 'schedule' THEN
        PERFORM automation.cron_parse(v_cfg ->> 'cronExpression');
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_timezone_names WHERE name = COALESCE(v_cfg ->> 'timezone', 'UTC')) THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422',
                MESSAGE = format('configuration.timezone %s is not a known time zone', quote_literal(v_cfg ->> 'timezone'));
        END IF;
    ELSIF p_trigger_type = 'event' THEN
        IF (v_cfg ? 'severity' AND jsonb_typeof(v_cfg -> 'severity') <> 'array')
           OR (v_cfg ? 'assetGroups' AND jsonb_typeof(v_cfg -> 'assetGroups') <> 'array')
           OR (v_cfg ? 'cvssThreshold' AND jsonb_typeof(v_cfg -> 'cvssThreshold') <> 'number') THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422',
                MESSAGE = 'event trigger configuration: severity and assetGroups must be arrays, cvssThreshold a number';
        END IF;
    ELSIF p_trigger_type = 'webhook' THEN
        IF jsonb_typeof(v_cfg -> 'endpoint') IS DISTINCT FROM 'string' OR left(v_cfg ->> 'endpoint', 1) <> '/' THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'webhook trigger configuration.endpoint must be a path starting with /';
        END IF;
        IF EXISTS (SELECT 1 FROM automation.workflow_triggers wt
                   WHERE wt.trigger_type = 'webhook' AND wt.is_active AND wt.configuration ->> 'endpoint' = v_cfg ->> 'endpoint'
                     AND wt.id IS DISTINCT FROM p_trigger_id) THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422',
                MESSAGE = format('webhook endpoint %s is already used by another active trigger', v_cfg ->> 'endpoint');
        END IF;
        IF v_cfg ? 'allowedIPs' THEN
            IF jsonb_typeof(v_cfg -> 'allowedIPs') <> 'array' THEN
                RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'webhook configuration.allowedIPs must be an array of addresses or CIDR blocks';
            END IF;
            -- a loop: each entry must be an address or a CIDR block, and a bad one is named
            FOR v_item IN SELECT jsonb_array_elements_text(v_cfg -> 'allowedIPs') LOOP
                BEGIN
                    PERFORM v_item::cidr;
                EXCEPTION WHEN invalid_text_representation OR invalid_parameter_value THEN
                    RAISE EXCEPTION USING ERRCODE = 'PW422',
                        MESSAGE = format('webhook configuration.allowedIPs entry %s is not an address or CIDR block', quote_literal(v_item));
                END;
            END LOOP;
        END IF;
    END IF;

    IF p_trigger_type = 'webhook' AND (p_trigger_id IS NULL OR p_rotate_token) THEN
        v_token := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
    END IF;

    IF p_trigger_id IS NULL THEN
        INSERT INTO automation.workflow_triggers (workflow_id, trigger_type, trigger_source, configuration, is_active, token_hash)
        VALUES (p_workflow_id, p_trigger_type, p_trigger_source, v_cfg, COALESCE(p_is_active, true),
                encode(sha256(convert_to(v_token, 'UTF8')), 'hex'))
        RETURNING id INTO v_id;
    ELSE
        UPDATE automation.workflow_triggers wt
        SET workflow_id = p_workflow_id, trigger_type = p_trigger_type, trigger_source = p_trigger_source,
            configuration = v_cfg, is_active = COALESCE(p_is_active, wt.is_active),
            token_hash = CASE WHEN v_token IS NOT NULL THEN encode(sha256(convert_to(v_token, 'UTF8')), 'hex')
                              WHEN p_trigger_type <> 'webhook' THEN NULL ELSE wt.token_hash END
        WHERE wt.id = p_trigger_id
        RETURNING wt.id INTO v_id;
        IF v_id IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('trigger %s does not exist', p_trigger_id);
        END IF;
    END IF;
    trigger_id := v_id;
    token := v_token;
    RETURN NEXT;
END;
$$;

COMMENT ON FUNCTION automation.save_trigger(uuid, varchar, jsonb, varchar, boolean, uuid, boolean) IS
    'Creates (or, with p_trigger_id, changes) a trigger after validating its configuration (cron and time zone, event filters, webhook endpoint and allowedIPs). Returns the id and, for a new webhook or a rotation, the token (shown once; only its SHA-256 is stored). PW401, PW403 unless the user holds workflow_admin, PW404, PW422.';

REVOKE ALL ON FUNCTION automation.save_trigger(uuid, varchar, jsonb, varchar, boolean, uuid, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.save_trigger(uuid, varchar, jsonb, varchar, boolean, uuid, boolean) TO pgwf_app;
