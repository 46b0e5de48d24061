-- The call nodes the callActivity elements of one process become (docs/bpmn.md, "Call
-- activities"), by element id: {"data": {calledElement, calledElementBinding,
-- calledElementVersion, inheritVariables, inheritBusinessKey, businessKey, in, out},
-- "problems": [...]}. calledElement is a process key or ${variable}; the version binding comes
-- from camunda:calledElementBinding/calledElementVersion or flowable:sameDeployment; the
-- variables from flowable:/activiti:inheritVariables and the in and out extension elements of
-- Flowable, Activiti and Camunda (source, sourceExpression ${path}, target, variables="all",
-- Camunda's businessKey). Refused with the element id: no calledElement, a call by definition
-- id, a CMMN case, a version tag, Java variable mapping, an expression outside ${path}.
-- Called by flowable.bpmn_compile.
CREATE OR REPLACE FUNCTION flowable.bpmn_call_activities(p_doc xml, p_root text)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    WITH ca AS (
        SELECT x.*
        FROM XMLTABLE(
            XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn,
                          'http://flowable.org/bpmn' AS flowable,
                          'http://activiti.org/bpmn' AS activiti,
                          'http://camunda.org/schema/1.0/bpmn' AS camunda),
            (p_root || '//bpmn:callActivity') PASSING p_doc
            COLUMNS id text PATH '@id',
                    called text PATH 'normalize-space(@calledElement)',
                    called_type text PATH '(@flowable:calledElementType | @activiti:calledElementType)[1]',
                    binding text PATH '@camunda:calledElementBinding',
                    version text PATH '@camunda:calledElementVersion',
                    version_tag text PATH '@camunda:calledElementVersionTag',
                    same_deployment text PATH '@flowable:sameDeployment',
                    inherit_vars text PATH '(@flowable:inheritVariables | @activiti:inheritVariables)[1]',
                    inherit_bk text PATH '(@flowable:inheritBusinessKey | @activiti:inheritBusinessKey)[1]',
                    business_key text PATH '(@flowable:businessKey | @activiti:businessKey)[1]',
                    case_ref text PATH '@camunda:caseRef',
                    mapping_code text PATH '(@camunda:variableMappingClass | @camunda:variableMappingDelegateExpression)[1]') x
        WHERE x.id IS NOT NULL
    ), m AS (
        SELECT x.*, flowable.bpmn_value_template(x.source_expr) AS expr_template
        FROM XMLTABLE(
            XMLNAMESPACES('http://www.omg.org/spec/BPMN/20100524/MODEL' AS bpmn),
            (p_root || '//bpmn:callActivity/bpmn:extensionElements/*[local-name() = ''in'' or local-name() = ''out'']') PASSING p_doc
            COLUMNS ord FOR ORDINALITY, owner text PATH '../../@id', side text PATH 'local-name(.)',
                    source text PATH '@source', source_expr text PATH '@sourceExpression', target text PATH '@target',
                    variables text PATH '@variables', business_key text PATH '@businessKey') x
    ), items AS (
        SELECT m.*,
               CASE WHEN m.variables = 'all' THEN jsonb_build_object('all', true)
                    WHEN nullif(btrim(m.source), '') IS NOT NULL
                        THEN jsonb_build_object('source', btrim(m.source), 'target', coalesce(nullif(btrim(m.target), ''), btrim(m.source)))
                    WHEN m.source_expr IS NOT NULL AND m.expr_template !~ '[$#]\{'
                        THEN jsonb_build_object('sourceExpression', m.expr_template, 'target', nullif(btrim(m.target), ''))
               END AS item,
               CASE WHEN m.business_key IS NOT NULL OR m.variables = 'all' THEN NULL
                    WHEN m.source_expr IS NOT NULL AND m.expr_template ~ '[$#]\{'
                        THEN format('%s: %s sourceExpression "%s" is outside the grammar (text with ${path})', m.owner, m.side, m.source_expr)
                    WHEN nullif(btrim(m.source), '') IS NULL AND m.source_expr IS NULL
                        THEN format('%s: a %s mapping names no source, sourceExpression or variables="all"', m.owner, m.side)
                    WHEN coalesce(btrim(m.target), btrim(m.source), '') !~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$'
                        THEN format('%s: %s target "%s" is not a variable name', m.owner, m.side, coalesce(m.target, ''))
               END AS problem
        FROM m
    )
    SELECT coalesce(jsonb_object_agg(ca.id, jsonb_build_object(
        'data', jsonb_strip_nulls(jsonb_build_object(
            'calledElement', flowable.bpmn_value_template(ca.called),
            'calledElementBinding', CASE WHEN ca.binding IN ('version', 'deployment') THEN ca.binding
                                         WHEN ca.same_deployment = 'true' THEN 'deployment' END,
            'calledElementVersion', CASE WHEN ca.binding = 'version' AND btrim(ca.version) ~ '^[0-9]{1,9}$' THEN to_jsonb(btrim(ca.version)::integer)
                                         WHEN ca.binding = 'version' THEN to_jsonb(flowable.bpmn_value_template(ca.version)) END,
            'inheritVariables', CASE WHEN ca.inherit_vars = 'true' THEN true END,
            'inheritBusinessKey', CASE WHEN ca.inherit_bk = 'true'
                                            OR (SELECT bool_or(btrim(i.business_key) ~ '^[$#]\{\s*execution\.(processBusinessKey|businessKey)\s*\}$')
                                                FROM items i WHERE i.owner = ca.id) THEN true END,
            'businessKey', coalesce(flowable.bpmn_value_template(ca.business_key),
                                    (SELECT flowable.bpmn_value_template(min(i.business_key)) FROM items i
                                     WHERE i.owner = ca.id AND i.business_key IS NOT NULL
                                       AND btrim(i.business_key) !~ '^[$#]\{\s*execution\.(processBusinessKey|businessKey)\s*\}$')),
            'in', (SELECT jsonb_agg(i.item ORDER BY i.ord) FROM items i WHERE i.owner = ca.id AND i.side = 'in' AND i.item IS NOT NULL),
            'out', (SELECT jsonb_agg(i.item ORDER BY i.ord) FROM items i WHERE i.owner = ca.id AND i.side = 'out' AND i.item IS NOT NULL))),
        'problems', to_jsonb(array_remove(ARRAY[
            CASE WHEN ca.called = '' THEN format('%s: callActivity names no calledElement (the key of the process to call)', ca.id) END,
            CASE WHEN ca.called_type = 'id' THEN format('%s: calledElementType "id" calls a definition by its id; pgwf calls a process by its key', ca.id) END,
            CASE WHEN ca.case_ref IS NOT NULL THEN format('%s: camunda:caseRef calls a CMMN case; pgwf runs BPMN processes', ca.id) END,
            CASE WHEN ca.binding = 'versionTag' OR ca.version_tag IS NOT NULL THEN format('%s: the versionTag binding is not supported (latest, deployment or version)', ca.id) END,
            CASE WHEN ca.binding = 'version' AND nullif(btrim(ca.version), '') IS NULL THEN format('%s: calledElementBinding "version" names no calledElementVersion', ca.id) END,
            CASE WHEN ca.mapping_code IS NOT NULL THEN format('%s: variable mapping by Java code (%s) is not run; map variables with in and out elements', ca.id, ca.mapping_code) END,
            CASE WHEN flowable.bpmn_value_template(ca.called) ~ '[$#]\{' THEN format('%s: calledElement "%s" is outside the grammar (a key or ${variable})', ca.id, ca.called) END]
            || ARRAY(SELECT i.problem FROM items i WHERE i.owner = ca.id AND i.problem IS NOT NULL ORDER BY i.ord), NULL)))), '{}'::jsonb)
    FROM ca;
$$;

COMMENT ON FUNCTION flowable.bpmn_call_activities(xml, text) IS
    'The call node data of each callActivity of a process (calledElement, version binding, inherit flags, business key, in/out mappings from Flowable, Activiti and Camunda extension elements) and the problems that refuse it, by element id.';

REVOKE ALL ON FUNCTION flowable.bpmn_call_activities(xml, text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_call_activities(xml, text) TO pgwf_app;
