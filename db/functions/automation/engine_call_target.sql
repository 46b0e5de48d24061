-- Engine rule: which deployed version a call activity starts. calledElement (a process key, or
-- a {{template}} filled from the run's data) names the process; calledElementBinding picks the
-- version: "latest" (the default: the active version, else the highest deployed), "version"
-- (calledElementVersion), or "deployment" (the version deployed together with the caller's,
-- else the newest deployed before it). Returns the version's workflow id, or a problem naming
-- the call node. Called by engine_visit_call.
CREATE OR REPLACE FUNCTION automation.engine_call_target(
    p_run automation.workflow_instances,
    p_node automation.workflow_nodes,
    p_ctx jsonb,
    OUT o_workflow_id uuid,
    OUT o_problem text
)
LANGUAGE plpgsql
STABLE
AS $$
-- internal: reached only from the engine's SECURITY DEFINER functions
DECLARE
    v_config jsonb := COALESCE(p_node.configuration, '{}'::jsonb);
    v_key text := automation.fill_template(v_config -> 'calledElement', p_ctx) #>> '{}';
    v_binding text := COALESCE(v_config ->> 'calledElementBinding', 'latest');
    v_version integer;
    v_version_text text;
    v_caller_deployed timestamptz;
BEGIN
    IF v_binding = 'version' THEN
        v_version_text := automation.fill_template(v_config -> 'calledElementVersion', p_ctx) #>> '{}';
        IF COALESCE(v_version_text, '') !~ '^\s*[0-9]{1,9}\s*$' THEN
            o_problem := format('call activity %s: calledElementVersion %s is not a whole number', p_node.node_id,
                                COALESCE(quote_literal(v_version_text), '(none given)'));
            RETURN;
        END IF;
        v_version := v_version_text::integer;
    END IF;
    SELECT d.deployed_at INTO v_caller_deployed
    FROM flowable.workflow_definitions d WHERE d.deployment_id = p_run.workflow_id::text;

    SELECT w.id INTO o_workflow_id
    FROM flowable.workflow_definitions d
    JOIN automation.workflows w ON w.id::text = d.deployment_id
    WHERE d.process_key = v_key
      AND CASE v_binding
              WHEN 'version' THEN d.process_version = v_version
              WHEN 'deployment' THEN d.deployed_at <= v_caller_deployed
              ELSE true END
    ORDER BY CASE WHEN v_binding = 'latest' THEN d.is_active IS TRUE END DESC NULLS LAST,
             CASE WHEN v_binding = 'deployment' THEN d.deployed_at = v_caller_deployed END DESC NULLS LAST,
             d.process_version DESC
    LIMIT 1;
    IF o_workflow_id IS NULL THEN
        o_problem := format('call activity %s: no deployed process %s%s', p_node.node_id,
                            COALESCE(quote_literal(v_key), '(calledElement is empty)'),
                            CASE v_binding WHEN 'version' THEN format(' in version %s', v_version)
                                           WHEN 'deployment' THEN ' deployed with or before the caller' ELSE '' END);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.engine_call_target(automation.workflow_instances, automation.workflow_nodes, jsonb) IS
    'The deployed version a call activity starts (calledElement, calledElementBinding latest/version/deployment, calledElementVersion), or the problem naming the call node.';

REVOKE ALL ON FUNCTION automation.engine_call_target(automation.workflow_instances, automation.workflow_nodes, jsonb) FROM PUBLIC;
