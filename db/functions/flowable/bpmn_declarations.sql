-- The messages, signals, errors and escalations a BPMN document declares beside its processes,
-- as {"message": {id: name}, "signal": {id: name}, "error": {id: errorCode}, "escalation":
-- {id: escalationCode}}: what an event's messageRef, signalRef, errorRef or escalationRef
-- means. A declaration without a name or code stands for its id. Called by flowable.bpmn_compile.
CREATE OR REPLACE FUNCTION flowable.bpmn_declarations(p_doc xml)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT jsonb_build_object('message', '{}'::jsonb, 'signal', '{}'::jsonb, 'error', '{}'::jsonb, 'escalation', '{}'::jsonb)
        || coalesce(jsonb_object_agg(d.kind, d.entries), '{}'::jsonb)
    FROM (SELECT x.kind,
                 jsonb_object_agg(x.id, coalesce(nullif(btrim(CASE x.kind WHEN 'error' THEN x.error_code
                                                                       WHEN 'escalation' THEN x.escalation_code
                                                                       ELSE x.name END), ''), x.id)) AS entries
          FROM XMLTABLE(
              XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn),
              '/bpmn:definitions/*[self::bpmn:message or self::bpmn:signal or self::bpmn:error or self::bpmn:escalation]'
              PASSING p_doc
              COLUMNS kind text PATH 'local-name(.)', id text PATH '@id',
                      name text PATH '@name', error_code text PATH '@errorCode',
                      escalation_code text PATH '@escalationCode') x
          WHERE x.id IS NOT NULL
          GROUP BY x.kind) d;
$$;

COMMENT ON FUNCTION flowable.bpmn_declarations(xml) IS
    'The message, signal, error and escalation declarations of a BPMN document: {"message": {id: name}, "signal": {id: name}, "error": {id: errorCode}, "escalation": {id: escalationCode}}, the id standing in for a missing name or code.';

REVOKE ALL ON FUNCTION flowable.bpmn_declarations(xml) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_declarations(xml) TO pgwf_app;
