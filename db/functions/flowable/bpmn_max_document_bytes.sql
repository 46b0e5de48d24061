-- The largest BPMN document pgwf accepts, in bytes of UTF-8: the database setting
-- pgwf.bpmn_max_document_bytes (ALTER DATABASE ... SET pgwf.bpmn_max_document_bytes = '...'),
-- else 5 MiB; a value that is not a whole number from 1 KiB to 64 MiB counts as unset.
-- The one limit: flowable.bpmn_parse_document enforces it, and the API reads it for the
-- body limit of its BPMN routes, so both refuse the same documents and name the same number.
CREATE OR REPLACE FUNCTION flowable.bpmn_max_document_bytes()
RETURNS integer
LANGUAGE sql
STABLE
PARALLEL SAFE
RETURN CASE
    WHEN btrim(coalesce(current_setting('pgwf.bpmn_max_document_bytes', true), '')) ~ '^[0-9]{4,8}$'
         AND btrim(current_setting('pgwf.bpmn_max_document_bytes', true))::integer BETWEEN 1024 AND 64 * 1024 * 1024
        THEN btrim(current_setting('pgwf.bpmn_max_document_bytes', true))::integer
    ELSE 5 * 1024 * 1024
END;

COMMENT ON FUNCTION flowable.bpmn_max_document_bytes() IS
    'The BPMN upload limit in bytes: setting pgwf.bpmn_max_document_bytes (1 KiB to 64 MiB), else 5242880 (5 MiB); enforced by bpmn_parse_document and read by the API for its BPMN body limit.';

REVOKE ALL ON FUNCTION flowable.bpmn_max_document_bytes() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.bpmn_max_document_bytes() TO pgwf_app;
