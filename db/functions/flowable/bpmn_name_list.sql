-- Splits a comma list attribute (candidateGroups="a, b", candidateUsers,
-- pgwf:recipients) into a JSON array of trimmed names, ${x} items becoming
-- "{{x}}"; NULL when the list is absent or empty. Used by flowable.bpmn_compile.
CREATE OR REPLACE FUNCTION flowable.bpmn_name_list(p_value text)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
RETURN (
    SELECT jsonb_agg(flowable.bpmn_value_template(item) ORDER BY n)
    FROM regexp_split_to_table(p_value, ',') WITH ORDINALITY AS s(item, n)
    WHERE btrim(item) <> ''
);

COMMENT ON FUNCTION flowable.bpmn_name_list(text) IS
    'Splits a BPMN comma list into a JSON array of trimmed names (${x} -> "{{x}}"); NULL when empty.';

REVOKE ALL ON FUNCTION flowable.bpmn_name_list(text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_name_list(text) TO pgwf_app;
