-- Deploys a BPMN 2.0 process document (flowable.deploy_bpmn does the work: compile,
-- save the graph, register the next process_version of the <process> id) and returns
-- the definition id of its first deployed process. The same XML as the newest version
-- deploys nothing new (checksum). Called by the demo, the benchmarks and older callers;
-- the API and the CLI call deploy_bpmn, which reports every process of the document.
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
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT (flowable.deploy_bpmn(p_bpmn_xml, p_deployed_by, p_business_app, p_activate, p_sla_config, p_metadata,
                                 p_default_queue) #>> '{processes,0,workflow_id}')::bigint;
$$;

COMMENT ON FUNCTION flowable.deploy_process(text, varchar, varchar, boolean, jsonb, jsonb, varchar) IS
    'Deploys BPMN 2.0 XML through flowable.deploy_bpmn (PW422 naming every bad element, nothing stored; a document with several executable processes deploys each) and returns the flowable.workflow_definitions.workflow_id of its first deployed process; the same XML as the newest version returns that version. p_activate makes it the version new starts use; p_default_queue takes tasks that name no queue and have no candidate group with one. Acts as app.current_user_id (PW401 without one), who must hold workflow_admin (PW403); p_deployed_by is NULL or that identity (PW403 otherwise).';

REVOKE ALL ON FUNCTION flowable.deploy_process(text, varchar, varchar, boolean, jsonb, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.deploy_process(text, varchar, varchar, boolean, jsonb, jsonb, varchar) TO pgwf_app;
