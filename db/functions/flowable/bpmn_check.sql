-- What deploying a BPMN document would do, changing nothing: for each process that
-- would deploy, whether it deploys as a new version (and which), is unchanged (same
-- XML as its newest version) or is refused (with the problems a deployment would
-- report), the elements it ignores and the worker topics its service tasks need.
-- Acts as app.current_user_id (PW401 without one), who must hold workflow_admin (PW403). Called by the API (POST /processes?check=true) and `pgwf process deploy --check`.
CREATE OR REPLACE FUNCTION flowable.bpmn_check(p_bpmn_xml text, p_default_queue varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar;
    v_checksum text;
    v_out jsonb;
BEGIN
    v_user := entitlements.require_active_user('bpmn_check');
    -- before any work: checking a document costs what compiling it does
    PERFORM automation.require_workflow_admin('check BPMN documents');
    v_checksum := encode(sha256(convert_to(p_bpmn_xml, 'UTF8')), 'hex');
    SELECT jsonb_build_object(
               'deployable', bool_and(NOT x ? 'problems'),
               'processes', jsonb_agg(jsonb_strip_nulls(jsonb_build_object(
                   'process_key', x ->> 'key',
                   'process_name', x #>> '{compiled,process,name}',
                   'action', CASE WHEN x ? 'problems' THEN 'refused'
                                  WHEN l.checksum = v_checksum THEN 'unchanged' ELSE 'deploy' END,
                   'version', CASE WHEN x ? 'problems' THEN NULL
                                   WHEN l.checksum = v_checksum THEN l.process_version
                                   ELSE coalesce(l.process_version, 0) + 1 END,
                   'refused', x -> 'problems'))
                   -- (not stripped: ignored items without an id keep "id": null)
                   || jsonb_build_object('ignored', coalesce(x #> '{compiled,ignored}', '[]'::jsonb),
                                         'topics', coalesce(x -> 'topics', '[]'::jsonb),
                                         'start', coalesce(x #> '{compiled,start}', '{}'::jsonb)) ORDER BY n))
    INTO v_out
    FROM jsonb_array_elements(flowable.bpmn_prepare(p_bpmn_xml, p_default_queue)) WITH ORDINALITY AS p(x, n)
    LEFT JOIN LATERAL (
        SELECT d.process_version, d.metadata ->> 'checksum' AS checksum FROM flowable.workflow_definitions d
        WHERE d.process_key = x ->> 'key' ORDER BY d.process_version DESC LIMIT 1) l ON true;
    RETURN v_out;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_check(text, varchar) IS
    'Reports, storing nothing, what deploying a BPMN document would do: {"deployable", "processes": [{process_key, process_name, action (deploy, unchanged, refused), version, refused (the problems a deployment reports), ignored, topics, start}]}. PW422 for a document that cannot deploy at all (not XML, no process); PW401 without an identity, PW403 unless the user holds workflow_admin.';

REVOKE ALL ON FUNCTION flowable.bpmn_check(text, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.bpmn_check(text, varchar) TO pgwf_app;
