-- Publishes an event (a scanner finding, a compliance failure, ...): every active event trigger
-- whose filters match starts a run of its workflow with the payload as input. Filters: trigger
-- source = p_source, configuration.eventType, severity list, cvssThreshold, assetGroups.
-- A repeated p_idempotency_key starts nothing again. Needs an active user holding
-- event_publisher (or workflow_admin). Called by the API and integrations.
CREATE OR REPLACE FUNCTION automation.publish_event(
    p_source varchar,
    p_event_type varchar,
    p_payload jsonb,
    p_idempotency_key varchar DEFAULT NULL
)
RETURNS TABLE (trigger_id uuid, status text, instance_id uuid, reason text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_trigger automation.workflow_triggers;
    v_cfg jsonb;
    v_payload jsonb := COALESCE(p_payload, '{}'::jsonb);
    v_cvss jsonb;
    v_groups jsonb;
    v_result record;
    v_user varchar;
BEGIN
    -- who may publish: an active user holding event_publisher (or workflow_admin); a trigger's
    -- configuration.publisherRoles narrows who fires it
    v_user := entitlements.require_active_user('publish_event');
    IF NOT (automation.user_holds_role(v_user, 'event_publisher') OR automation.user_holds_role(v_user, 'workflow_admin')) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('publish_event: user %s does not hold role event_publisher', v_user),
            HINT = 'Event sources publish as a user holding event_publisher (pgwf role grant USER event_publisher).';
    END IF;
    IF p_source IS NULL OR btrim(p_source) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_source must name the event source';
    END IF;
    IF jsonb_typeof(v_payload) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_payload must be a JSON object';
    END IF;
    v_cvss := COALESCE(v_payload -> 'cvss_score', v_payload -> 'cvssScore', v_payload -> 'cvss');
    v_groups := COALESCE(v_payload -> 'asset_groups', v_payload -> 'assetGroups',
                         jsonb_build_array(COALESCE(v_payload -> 'asset_group', v_payload -> 'assetGroup', v_payload -> 'asset_criticality')));

    -- a loop: each matching trigger starts (or deduplicates) its own run
    FOR v_trigger IN
        SELECT * FROM automation.workflow_triggers wt
        WHERE wt.trigger_type = 'event' AND wt.is_active
          AND (wt.trigger_source IS NULL OR wt.trigger_source = p_source)
          AND (wt.configuration ->> 'eventType' IS NULL OR wt.configuration ->> 'eventType' = p_event_type)
        ORDER BY wt.created_at, wt.id
    LOOP
        v_cfg := COALESCE(v_trigger.configuration, '{}'::jsonb);
        CONTINUE WHEN v_cfg ? 'severity' AND NOT EXISTS (
            SELECT 1 FROM jsonb_array_elements_text(v_cfg -> 'severity') s
            WHERE lower(s) = lower(v_payload ->> 'severity'));
        CONTINUE WHEN v_cfg ? 'cvssThreshold' AND NOT (
            jsonb_typeof(v_cvss) = 'number' AND (v_cvss #>> '{}')::numeric >= (v_cfg ->> 'cvssThreshold')::numeric);
        CONTINUE WHEN v_cfg ? 'assetGroups' AND NOT EXISTS (
            SELECT 1 FROM jsonb_array_elements_text(v_cfg -> 'assetGroups') g
            JOIN jsonb_array_elements_text(CASE WHEN jsonb_typeof(v_groups) = 'array' THEN v_groups ELSE '[]' END) p
              ON lower(p) = lower(g));
        IF jsonb_typeof(v_cfg -> 'publisherRoles') = 'array' AND jsonb_array_length(v_cfg -> 'publisherRoles') > 0
           AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(v_cfg -> 'publisherRoles') r
                           WHERE automation.user_holds_role(v_user, r)) THEN
            trigger_id := v_trigger.id;
            status := 'refused';
            instance_id := NULL;
            reason := format('user %s holds none of the trigger''s publisherRoles %s', v_user, v_cfg -> 'publisherRoles');
            RETURN NEXT;
            CONTINUE;
        END IF;
        SELECT * INTO v_result FROM automation.engine_trigger_start(v_trigger, v_payload, p_idempotency_key, NULL, now());
        trigger_id := v_trigger.id;
        status := v_result.status;
        instance_id := v_result.instance_id;
        reason := v_result.reason;
        RETURN NEXT;
    END LOOP;
END;
$$;

COMMENT ON FUNCTION automation.publish_event(varchar, varchar, jsonb, varchar) IS
    'Starts a run for every active event trigger matching the event (source, eventType, severity list, cvss_score >= cvssThreshold, asset groups overlap); one row per matching trigger: started, duplicate (idempotency key seen) or refused (no deployed version, or the caller holds none of the trigger''s configuration.publisherRoles). The caller must be an active user holding event_publisher or workflow_admin: PW401, PW403 otherwise.';

REVOKE ALL ON FUNCTION automation.publish_event(varchar, varchar, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.publish_event(varchar, varchar, jsonb, varchar) TO pgwf_app, pgwf_worker;
