-- Checks and parses a BPMN 2.0 document. Refuses, before any parsing, a
-- document over the size limit (flowable.bpmn_max_document_bytes), with more start tags than
-- automation.model_limit('bpmn_elements') (counted in the text) or with a DOCTYPE/ENTITY declaration (no entity
-- expansion, no file or network access); then refuses malformed XML and a root
-- that is not BPMN <definitions>. Called by flowable.bpmn_compile.
CREATE OR REPLACE FUNCTION flowable.bpmn_parse_document(p_xml text)
RETURNS xml
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
AS $$
DECLARE
    v_max_bytes constant integer := flowable.bpmn_max_document_bytes();
    v_doc xml;
    v_detail text;
    v_elements integer;
BEGIN
    IF p_xml IS NULL OR btrim(p_xml) = '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW400',
            MESSAGE = 'BPMN document is empty',
            HINT = 'pass the text of a BPMN 2.0 XML file';
    END IF;
    IF octet_length(p_xml) > v_max_bytes THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('BPMN document refused: it is %s bytes, over the limit of %s bytes',
                             octet_length(p_xml), v_max_bytes),
            HINT = 'split the process or remove embedded content; the limit is the setting pgwf.bpmn_max_document_bytes';
    END IF;
    -- Elements counted as start tags in the raw text (comments and CDATA too: an overcount is
    -- harmless), so a document that would compile too long is refused before it is parsed.
    v_elements := regexp_count(p_xml, '<[A-Za-z_]');
    IF v_elements > automation.model_limit('bpmn_elements') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('BPMN document refused: it has %s elements; the limit bpmn_elements is %s',
                             v_elements, automation.model_limit('bpmn_elements')),
            HINT = 'split the process: a callActivity runs another process';
    END IF;
    -- Looked for in the raw text, so nothing is parsed when present (also
    -- inside comments: a refusal there is harmless, a miss would not be).
    IF p_xml ~* '<!DOCTYPE' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = 'BPMN document refused: it contains a DOCTYPE declaration',
            DETAIL = 'document type declarations can define entities that read files or expand without limit',
            HINT = 'remove the <!DOCTYPE ...> declaration; BPMN 2.0 files do not need one';
    END IF;
    IF p_xml ~* '<!ENTITY' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = 'BPMN document refused: it contains an ENTITY declaration',
            HINT = 'remove the <!ENTITY ...> declaration';
    END IF;

    BEGIN
        -- Drop a leading XML declaration: the text is already decoded, and an
        -- encoding="..." in it would be misread by the parser. A byte order mark
        -- left by an editor goes too.
        v_doc := xmlparse(DOCUMENT regexp_replace(p_xml, '^\uFEFF?\s*<\?xml[^>]*\?>|^\uFEFF', ''));
    EXCEPTION WHEN invalid_xml_document OR invalid_xml_content OR invalid_xml_comment
                   OR invalid_xml_processing_instruction THEN
        GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL;
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('BPMN document refused: it is not well-formed XML (%s)',
                             coalesce(substring(v_detail FROM '^[^\n]*'), SQLERRM)),
            DETAIL = left(coalesce(v_detail, SQLERRM), 2000),
            HINT = 'check the document with an XML validator';
    END;

    IF NOT xpath_exists('/*[local-name() = ''definitions'' and namespace-uri() = ''http://www.omg.org/spec/BPMN/20100524/MODEL'']', v_doc) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('BPMN document refused: the root element is <%s>, not BPMN 2.0 <definitions>',
                             (xpath('local-name(/*)', v_doc))[1]::text),
            HINT = 'the root must be <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">';
    END IF;
    RETURN v_doc;
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_parse_document(text) IS
    'Parses a BPMN 2.0 document after refusing (PW422) one over the upload limit (flowable.bpmn_max_document_bytes, 5 MiB unless set), with more start tags than model_limit(''bpmn_elements'') or with a DOCTYPE/ENTITY declaration; refuses malformed XML and a root other than BPMN <definitions>.';

REVOKE ALL ON FUNCTION flowable.bpmn_parse_document(text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_parse_document(text) TO pgwf_app;
