-- Deploys a BPMN 2.0 document: every process of it that deploys (the only one, else each
-- one not marked isExecutable="false") becomes the next version of its own process key.
-- Each is compiled in the database (flowable.bpmn_compile), its graph saved as an
-- automation.workflows version (automation.save_workflow keeps workflow_nodes/workflow_edges
-- in step) and registered in flowable.workflow_definitions with the elements it ignored and
-- its start rules. All or nothing: one refused process refuses the document (PW422 listing
-- every problem of every process) and nothing is stored. A key whose newest version has the
-- same XML deploys nothing new (checksum). Called by flowable.deploy_process, the API and the CLI.
CREATE OR REPLACE FUNCTION flowable.deploy_bpmn(
    p_bpmn_xml text,
    p_deployed_by varchar DEFAULT NULL,
    p_business_app varchar DEFAULT 'onecms',
    p_activate boolean DEFAULT true,
    p_sla_config jsonb DEFAULT NULL,
    p_metadata jsonb DEFAULT NULL,
    p_default_queue varchar DEFAULT NULL
)
RETURNS jsonb
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_user varchar;
    v_prepared jsonb;
    v_refused jsonb;
    v_item jsonb;
    v_compiled jsonb;
    v_key text;
    v_checksum text;
    v_latest flowable.workflow_definitions;
    v_previous_workflow uuid;
    v_workflow_id uuid;
    v_definition_id bigint;
    v_version integer;
    v_unchanged boolean;
    v_out jsonb := '[]'::jsonb;
BEGIN
    v_user := entitlements.require_active_user('deploy_process');
    -- acts as the current identity; p_deployed_by, when given, must be that identity
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
    v_prepared := flowable.bpmn_prepare(p_bpmn_xml, p_default_queue);
    SELECT jsonb_agg(t.x) INTO v_refused FROM jsonb_array_elements(v_prepared) AS t(x) WHERE t.x ? 'problems';
    IF jsonb_array_length(v_prepared) = 1 AND v_refused IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = v_refused -> 0 ->> 'message',
            DETAIL = (SELECT string_agg(p.problem, E'\n') FROM jsonb_array_elements_text(v_refused -> 0 -> 'problems') AS p(problem)),
            HINT = coalesce(v_refused -> 0 ->> 'hint', 'nothing was stored');
    ELSIF v_refused IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = (SELECT string_agg(t.x ->> 'message', '; ') FROM jsonb_array_elements(v_refused) AS t(x)),
            DETAIL = (SELECT string_agg((t.x ->> 'key') || ': ' || p.problem, E'\n')
                      FROM jsonb_array_elements(v_refused) AS t(x),
                           jsonb_array_elements_text(t.x -> 'problems') AS p(problem)),
            HINT = 'a document deploys whole or not at all; nothing was stored';
    END IF;
    v_checksum := encode(sha256(convert_to(p_bpmn_xml, 'UTF8')), 'hex');

    FOR v_item IN SELECT t.x FROM jsonb_array_elements(v_prepared) AS t(x) LOOP
        v_compiled := v_item -> 'compiled';
        v_key := v_item ->> 'key';
        v_previous_workflow := NULL;
        -- one deployment of a process key at a time, so versions are numbered without gaps
        PERFORM pg_advisory_xact_lock(hashtext('pgwf.deploy:' || v_key));

        SELECT * INTO v_latest FROM flowable.workflow_definitions d
        WHERE d.process_key = v_key ORDER BY d.process_version DESC LIMIT 1;
        v_unchanged := FOUND AND v_latest.metadata ->> 'checksum' = v_checksum;
        IF v_unchanged THEN
            IF p_activate AND NOT coalesce(v_latest.is_active, false) THEN
                PERFORM flowable.bpmn_activate_version(v_key, v_latest.process_version);
            END IF;
            v_definition_id := v_latest.workflow_id;
            v_version := v_latest.process_version;
        ELSE
            IF v_latest.workflow_id IS NOT NULL AND v_latest.deployment_id ~ '^[0-9a-f-]{36}$' THEN
                SELECT w.id INTO v_previous_workflow FROM automation.workflows w WHERE w.id = v_latest.deployment_id::uuid;
            END IF;
            v_version := coalesce(v_latest.process_version, 0) + 1;

            -- a name too long for the catalog is refused, not cut
            IF length(v_compiled #>> '{process,name}') > 255 THEN
                RAISE EXCEPTION USING ERRCODE = 'PW422',
                    MESSAGE = format('BPMN process %s refused: its name is %s characters; a process name is at most 255',
                                     v_key, length(v_compiled #>> '{process,name}'));
            END IF;
            -- save_workflow acts as the same person, the deployer
            v_workflow_id := automation.save_workflow(
                v_compiled -> 'graph',
                v_compiled #>> '{process,name}',
                v_previous_workflow,
                v_compiled #>> '{process,documentation}',
                'bpmn');

            INSERT INTO flowable.workflow_definitions (
                process_key, process_name, process_version, business_app, deployment_id, bpmn_xml,
                deployed_at, deployed_by, is_active, sla_config, metadata, ignored_elements, start_rules, history_ttl_days)
            VALUES (
                v_key, v_compiled #>> '{process,name}', v_version, p_business_app,
                v_workflow_id::text, p_bpmn_xml, now(), v_user, false, coalesce(p_sla_config, '{}'::jsonb),
                coalesce(p_metadata, '{}'::jsonb) || jsonb_build_object(
                    'checksum', v_checksum,
                    'source', 'bpmn',
                    'automation_workflow_id', v_workflow_id,
                    'node_count', jsonb_array_length(v_compiled #> '{graph,nodes}'),
                    'edge_count', jsonb_array_length(v_compiled #> '{graph,edges}'),
                    'topics', v_item -> 'topics'),
                coalesce(v_compiled -> 'ignored', '[]'::jsonb), coalesce(v_compiled -> 'start', '{}'::jsonb),
                (v_compiled #>> '{process,historyTimeToLive}')::integer)
            RETURNING workflow_id INTO v_definition_id;

            IF p_activate OR v_latest.workflow_id IS NULL THEN
                PERFORM flowable.bpmn_activate_version(v_key, v_version);
            END IF;
        END IF;
        v_out := v_out || jsonb_build_array(jsonb_build_object(
            'process_key', v_key, 'process_name', v_compiled #>> '{process,name}', 'version', v_version,
            'workflow_id', v_definition_id, 'unchanged', v_unchanged,
            'active', (SELECT d.is_active FROM flowable.workflow_definitions d WHERE d.workflow_id = v_definition_id),
            'ignored', v_compiled -> 'ignored', 'topics', v_item -> 'topics'));
    END LOOP;
    RETURN jsonb_build_object('processes', v_out);
END;
$$;

COMMENT ON FUNCTION flowable.deploy_bpmn(text, varchar, varchar, boolean, jsonb, jsonb, varchar) IS
    'Deploys every process of a BPMN 2.0 document that deploys (the only one, else each executable one) as the next version of its key, all or nothing (PW422 listing every problem, nothing stored); returns {"processes": [{process_key, process_name, version, workflow_id, unchanged, active, ignored, topics}]}. The same XML as a key''s newest version deploys nothing new for that key. Acts as app.current_user_id (PW401 without one), who must hold workflow_admin (PW403); p_deployed_by is NULL or that identity (PW403 otherwise).';

REVOKE ALL ON FUNCTION flowable.deploy_bpmn(text, varchar, varchar, boolean, jsonb, jsonb, varchar) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.deploy_bpmn(text, varchar, varchar, boolean, jsonb, jsonb, varchar) TO pgwf_app;
