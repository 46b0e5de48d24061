-- Reads the JSON object that flowable.bpmn_from_graph writes into a
-- <pgwf:data> extension element; NULL when the text is not a JSON object.
-- Used by flowable.bpmn_compile to validate before use.
CREATE OR REPLACE FUNCTION flowable.bpmn_json_object(p_text text)
RETURNS jsonb
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
AS $$
DECLARE
    v_value jsonb;
BEGIN
    v_value := p_text::jsonb;
    RETURN CASE WHEN jsonb_typeof(v_value) = 'object' THEN v_value END;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN NULL;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_json_object(text) IS
    'Parses text as a JSON object; NULL when it is not valid JSON or not an object.';

REVOKE ALL ON FUNCTION flowable.bpmn_json_object(text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_json_object(text) TO pgwf_app;
