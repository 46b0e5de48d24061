-- The id of the root element (bpmn:message, signal, error, escalation) an exported event
-- refers to: the kind and a digest of the name or code, so every mention of one name gets the
-- same id and any name is a valid XML id; NULL without a name (a catch-all error or escalation).
-- Called by flowable.bpmn_event_definition_xml and flowable.bpmn_event_roots_xml.
CREATE OR REPLACE FUNCTION flowable.bpmn_event_ref(p_kind text, p_name text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN CASE WHEN nullif(p_name, '') IS NOT NULL THEN p_kind || '_' || left(md5(p_name), 12) END;

COMMENT ON FUNCTION flowable.bpmn_event_ref(text, text) IS
    'Root element id of an exported message/signal/error/escalation name: <Kind>_<12 hex digits of md5(name)>; NULL for no name.';

REVOKE ALL ON FUNCTION flowable.bpmn_event_ref(text, text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_event_ref(text, text) TO pgwf_app;
