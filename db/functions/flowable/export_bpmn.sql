-- Exports a deployed process version (flowable.workflow_definitions.workflow_id) as
-- BPMN 2.0 XML with diagram interchange, generated from the graph the engine runs --
-- whether it was deployed from BPMN or drawn as a React Flow graph. Redeploying the
-- result gives an equivalent graph. Called by the API and the CLI.
CREATE OR REPLACE FUNCTION flowable.export_bpmn(p_workflow_id bigint)
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_def flowable.workflow_definitions;
    v_graph jsonb;
    v_description text;
    v_key text;
BEGIN
    SELECT * INTO v_def FROM flowable.workflow_definitions d WHERE d.workflow_id = p_workflow_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW404', MESSAGE = format('workflow definition %s does not exist', p_workflow_id);
    END IF;
    IF v_def.deployment_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        SELECT w.workflow_data, w.description INTO v_graph, v_description
        FROM automation.workflows w WHERE w.id = v_def.deployment_id::uuid;
    END IF;
    IF v_graph IS NULL THEN
        IF v_def.bpmn_xml IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PW404',
                MESSAGE = format('workflow definition %s (%s version %s) has neither a graph nor BPMN XML',
                                 p_workflow_id, v_def.process_key, v_def.process_version);
        END IF;
        -- a definition registered with XML only: its XML compiles to the graph
        v_graph := flowable.bpmn_to_graph(v_def.bpmn_xml);
    END IF;
    -- a BPMN process id is an XML name; keys of drawn models may not be
    v_key := CASE WHEN v_def.process_key ~ '^[A-Za-z_][A-Za-z0-9_.-]*$' THEN v_def.process_key
                  ELSE 'p_' || regexp_replace(v_def.process_key, '[^A-Za-z0-9_.-]', '_', 'g') END;
    RETURN flowable.bpmn_from_graph(v_graph, v_key, v_def.process_name, v_description, v_def.history_ttl_days);
END;
$$;

COMMENT ON FUNCTION flowable.export_bpmn(bigint) IS
    'BPMN 2.0 XML (with bpmndi shapes and edges) of a deployed version, generated from its graph; deploy_process of the result gives an equivalent graph. PW404 for an unknown definition.';

REVOKE ALL ON FUNCTION flowable.export_bpmn(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.export_bpmn(bigint) TO pgwf_app, pgwf_reporting;
