-- Compiles every process of a BPMN document that would deploy and resolves its tasks'
-- queues, without storing anything and without raising for a refused process: each
-- process comes back with its compiled graph or with the refusal (message, detail and
-- hint as flowable.bpmn_compile / bpmn_resolve_queues raised them). Which processes
-- deploy: the only process of a document, else every process not marked
-- isExecutable="false". Document-level refusals (size, DOCTYPE, not XML, no process)
-- raise PW422 as flowable.bpmn_parse_document does. Called by deploy_bpmn and bpmn_check,
-- so a check and a deployment report the same problems.
CREATE OR REPLACE FUNCTION flowable.bpmn_prepare(p_xml text, p_default_queue varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
AS $$
DECLARE
    v_doc xml := flowable.bpmn_parse_document(p_xml);
    v_ids text[];
    v_all text[];
    v_id text;
    v_compiled jsonb;
    v_out jsonb := '[]'::jsonb;
    v_message text;
    v_detail text;
    v_hint text;
BEGIN
    SELECT array_agg(pid ORDER BY ord), array_agg(pid ORDER BY ord) FILTER (WHERE coalesce(pexec, 'true') <> 'false')
    INTO v_all, v_ids
    FROM XMLTABLE(
        XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn),
        '/bpmn:definitions/bpmn:process' PASSING v_doc
        COLUMNS ord FOR ORDINALITY, pid text PATH '@id', pexec text PATH '@isExecutable');
    IF v_all IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'BPMN document refused: it has no <process> element';
    END IF;
    IF cardinality(v_all) = 1 THEN
        v_ids := v_all;     -- one process deploys whatever isExecutable says (bpmn.io writes false by default)
    ELSIF v_ids IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('BPMN document refused: none of its %s processes (%s) is executable',
                             cardinality(v_all), array_to_string(v_all, ', ', '?')),
            HINT = 'mark the processes to deploy isExecutable="true"';
    ELSIF array_position(v_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = 'BPMN document refused: one of its executable processes has no id',
            HINT = 'the process id is the process_key; give each <process> an id';
    ELSIF cardinality(v_ids) <> (SELECT count(DISTINCT i) FROM unnest(v_ids) i) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('BPMN document refused: two of its processes have the same id (%s)', array_to_string(v_ids, ', '));
    END IF;

    FOREACH v_id IN ARRAY v_ids LOOP
        BEGIN
            v_compiled := flowable.bpmn_compile(p_xml, CASE WHEN cardinality(v_all) > 1 THEN v_id END);
            v_compiled := jsonb_set(v_compiled, '{graph}', flowable.bpmn_resolve_queues(v_compiled -> 'graph', p_default_queue));
            v_out := v_out || jsonb_build_array(jsonb_build_object(
                'key', v_compiled #>> '{process,id}', 'compiled', v_compiled,
                'topics', coalesce((SELECT jsonb_agg(DISTINCT n #>> '{data,connector}')
                                    FROM jsonb_array_elements(v_compiled #> '{graph,nodes}') n
                                    WHERE n ->> 'type' IN ('action', 'integration') AND n #>> '{data,connector}' IS NOT NULL),
                                   '[]'::jsonb)));
        EXCEPTION WHEN SQLSTATE 'PW422' THEN
            GET STACKED DIAGNOSTICS v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
            v_out := v_out || jsonb_build_array(jsonb_build_object(
                'key', v_id, 'message', v_message, 'hint', nullif(v_hint, ''),
                'problems', to_jsonb(string_to_array(coalesce(nullif(v_detail, ''), v_message), E'\n'))));
        END;
    END LOOP;
    RETURN v_out;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_prepare(text, varchar) IS
    'Compiles (and resolves the queues of) every process of a BPMN document that would deploy, storing nothing: one {key, compiled, topics} or {key, message, hint, problems} object a process. PW422 for a document that cannot deploy at all.';

-- internal: runs inside deploy_bpmn and bpmn_check (SECURITY DEFINER), which check who calls
REVOKE ALL ON FUNCTION flowable.bpmn_prepare(text, varchar) FROM PUBLIC;
