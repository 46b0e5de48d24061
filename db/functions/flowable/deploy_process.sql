-- Deploys a BPMN 2.0 process: compiles it in the database (flowable.bpmn_compile),
-- saves the graph as an automation.workflows version (automation.save_workflow keeps
-- workflow_nodes/workflow_edges in step) and registers it in flowable.workflow_definitions
-- with the next process_version of its process_key (the <process> id). The same XML as the
-- newest version deploys nothing new (checksum). Called by the API, the CLI and the demo.
CREATE OR REPLACE FUNCTION flowable.deploy_process(
    p_bpmn_xml text,
    p_deployed_by varchar DEFAULT NULL,
    p_business_app varchar DEFAULT 'onecms',
    p_activate boolean DEFAULT true,
    p_sla_config jsonb DEFAULT NULL,
    p_metadata jsonb DEFAULT NULL,
    p_default_queue varchar DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar := NULLIF(current_setting('app.current_user_id', true), '');
    v_compiled jsonb;
    v_key text;
    v_checksum text;
    v_latest flowable.workflow_definitions;
    v_previous_workflow uuid;
    v_workflow_id uuid;
    v_definition_id bigint;
BEGIN
    -- acts as the current identity; p_deployed_by, when given, must be that identity
    IF v_user IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW401',
            MESSAGE = 'deploy_process needs an identity (app.current_user_id)';
    END IF;
    IF p_deployed_by IS NOT NULL AND p_deployed_by IS DISTINCT FROM v_user THEN
        RAISE EXCEPTION USING ERRCODE = 'PW403',
            MESSAGE = format('deploy_process: user %s cannot deploy as user %s', v_user, p_deployed_by),
            DETAIL = 'p_deployed_by must be NULL or the current identity (app.current_user_id).';
    END IF;
    PERFORM automation.require_workflow_admin('deploy_process');
    IF length(v_user) > 50 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'app.current_user_id is longer than 50 characters';
    END IF;
    IF p_business_app IS NULL OR btrim(p_business_app) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_business_app must name the business application';
    END IF;
    IF p_sla_config IS NOT NULL AND jsonb_typeof(p_sla_config) <> 'object'
       OR p_metadata IS NOT NULL AND jsonb_typeof(p_metadata) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400', MESSAGE = 'p_sla_config and p_metadata must be JSON objects';
    END IF;

    -- refuses (PW422) before anything is written
    v_compiled := flowable.bpmn_compile(p_bpmn_xml);
    v_key := v_compiled #>> '{process,id}';
    v_compiled := jsonb_set(v_compiled, '{graph}', flowable.bpmn_resolve_queues(v_compiled -> 'graph', p_default_queue));
    v_checksum := encode(sha256(convert_to(p_bpmn_xml, 'UTF8')), 'hex');

    -- one deployment of a process key at a time, so versions are numbered without gaps
    PERFORM pg_advisory_xact_lock(hashtext('pgwf.deploy:' || v_key));

    SELECT * INTO v_latest FROM flowable.workflow_definitions d
    WHERE d.process_key = v_key ORDER BY d.process_version DESC LIMIT 1;
    IF FOUND AND v_latest.metadata ->> 'checksum' = v_checksum THEN
        IF p_activate AND NOT coalesce(v_latest.is_active, false) THEN
            PERFORM flowable.bpmn_activate_version(v_key, v_latest.process_version);
        END IF;
        RETURN v_latest.workflow_id;
    END IF;
    IF FOUND AND v_latest.deployment_id ~ '^[0-9a-f-]{36}$' THEN
        SELECT w.id INTO v_previous_workflow FROM automation.workflows w WHERE w.id = v_latest.deployment_id::uuid;
    END IF;

    -- save_workflow acts as the same person, the deployer
    v_workflow_id := automation.save_workflow(
        v_compiled -> 'graph',
        left(v_compiled #>> '{process,name}', 255),
        v_previous_workflow,
        v_compiled #>> '{process,documentation}',
        'bpmn');

    INSERT INTO flowable.workflow_definitions (
        process_key, process_name, process_version, business_app, deployment_id, bpmn_xml,
        deployed_at, deployed_by, is_active, sla_config, metadata)
    VALUES (
        v_key, left(v_compiled #>> '{process,name}', 500), coalesce(v_latest.process_version, 0) + 1, p_business_app,
        v_workflow_id::text, p_bpmn_xml, now(), v_user, false, coalesce(p_sla_config, '{}'::jsonb),
        coalesce(p_metadata, '{}'::jsonb) || jsonb_build_object(
            'checksum', v_checksum,
            'source', 'bpmn',
            'automation_workflow_id', v_workflow_id,
            'node_count', jsonb_array_length(v_compiled #> '{graph,nodes}'),
            'edge_count', jsonb_array_length(v_compiled #> '{graph,edges}')))
    RETURNING workflow_id INTO v_definition_id;

    IF p_activate OR v_latest.workflow_id IS NULL THEN
        PERFORM flowable.bpmn_activate_version(v_key, coalesce(v_latest.process_version, 0) + 1);
    END IF;
    RETURN v_definition_id;
END;
$$;

COMMENT ON FUNCTION flowable.deploy_process(text, varchar, varchar, boolean, jsonb, jsonb, varchar) IS
    'Deploys BPMN 2.0 XML: compiles it (PW422 naming every bad element, nothing stored), saves the graph as a workflows version and registers the next process_version of its process key; the same XML as the newest version returns that version. p_activate makes it the version new starts use; p_default_queue takes tasks that name no queue and have no candidate group with one. Acts as app.current_user_id (PW401 without one), who must hold workflow_admin (PW403); p_deployed_by is NULL or that identity (PW403 otherwise). Returns flowable.workflow_definitions.workflow_id.';

REVOKE ALL ON FUNCTION flowable.deploy_process(text, varchar, varchar, boolean, jsonb, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.deploy_process(text, varchar, varchar, boolean, jsonb, jsonb, varchar) TO pgwf_app;
