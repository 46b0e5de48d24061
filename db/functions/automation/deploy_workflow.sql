-- Deploys a workflow version into flowable.workflow_definitions (process_key = the model's
-- workflow_key, next process_version, deployment_id = the version's id). Only deployed versions
-- run. Deploying a version twice returns its existing definition. Called by the API as a person.
CREATE OR REPLACE FUNCTION automation.deploy_workflow(
    p_workflow_id uuid,
    p_business_app varchar DEFAULT 'automation'
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar;
    v_wf automation.workflows;
    v_definition_id bigint;
BEGIN
    v_user := entitlements.require_active_user('deploy_workflow');
    PERFORM automation.require_workflow_admin('deploy_workflow');
    SELECT * INTO v_wf FROM automation.workflows WHERE id = p_workflow_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('workflow %s does not exist', p_workflow_id);
    END IF;
    IF v_wf.is_template THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409', MESSAGE = format('workflow %s is a template; templates are not deployed', p_workflow_id),
            HINT = 'Save a copy that is not a template and deploy that.';
    END IF;

    SELECT d.workflow_id INTO v_definition_id
    FROM flowable.workflow_definitions d WHERE d.deployment_id = p_workflow_id::text;
    IF FOUND THEN
        RETURN v_definition_id;
    END IF;
    -- what the graph names outside itself must exist now (roles, queues; connectors named)
    PERFORM automation.validate_workflow_references(v_wf.workflow_data);

    -- serialize deployments of one model so versions are numbered without gaps or clashes
    PERFORM pg_advisory_xact_lock(hashtext('pgwf.deploy:' || v_wf.workflow_key));
    INSERT INTO flowable.workflow_definitions (process_key, process_name, process_version, business_app,
                                               deployment_id, deployed_at, deployed_by, is_active, metadata)
    SELECT v_wf.workflow_key, v_wf.name, COALESCE(max(d.process_version), 0) + 1, p_business_app,
           p_workflow_id::text, now(), v_user, false,
           jsonb_build_object('automation_workflow_id', p_workflow_id, 'version', v_wf.version)
    FROM flowable.workflow_definitions d WHERE d.process_key = v_wf.workflow_key
    RETURNING workflow_id INTO v_definition_id;
    -- a drawn model is registered with its BPMN too (docs/bpmn.md, Export)
    UPDATE flowable.workflow_definitions SET bpmn_xml = flowable.export_bpmn(v_definition_id)
    WHERE workflow_id = v_definition_id;
    -- the newest deployed version is the one triggers start (one active version per key)
    PERFORM flowable.bpmn_activate_version(d.process_key, d.process_version)
    FROM flowable.workflow_definitions d WHERE d.workflow_id = v_definition_id;
    RETURN v_definition_id;
END;
$$;

COMMENT ON FUNCTION automation.deploy_workflow(uuid, varchar) IS
    'Deploys a workflow version (flowable.workflow_definitions: process_key = workflow_key, next process_version, deployment_id = the version id, made the active version of its key); returns the definition id. The version becomes immutable. PW401, PW403 unless the user holds workflow_admin, PW404, PW409 for a template, PW422 naming each node whose role or queue does not exist (validate_workflow_references).';

REVOKE ALL ON FUNCTION automation.deploy_workflow(uuid, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.deploy_workflow(uuid, varchar) TO pgwf_app;
