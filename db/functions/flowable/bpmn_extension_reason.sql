-- Why a vendor extension element (a child of <extensionElements>) is kept without
-- being run, or NULL when it is behaviour pgwf would not run (listeners, scripts,
-- I/O mappings, fields, task definitions), which flowable.bpmn_compile refuses.
-- p_ns is the element's namespace URI, p_name its local name.
CREATE OR REPLACE FUNCTION flowable.bpmn_extension_reason(p_ns text, p_name text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN p_ns IN ('http://flowable.org/bpmn', 'http://activiti.org/bpmn', 'http://camunda.org/schema/1.0/bpmn')
             AND p_name IN ('formProperty', 'formData')
            THEN 'start form fields (a run starts with the variables it is sent; a user task''s form fields become its form)'
        WHEN p_ns IN ('http://flowable.org/bpmn', 'http://activiti.org/bpmn', 'http://camunda.org/schema/1.0/bpmn',
                      'http://camunda.org/schema/zeebe/1.0')
             AND p_name IN ('properties', 'property')
            THEN 'a list of descriptive properties'
        WHEN p_ns IN ('http://flowable.org/bpmn', 'http://activiti.org/bpmn') AND p_name = 'localization'
            THEN 'localized names and descriptions of an element'
        WHEN p_ns = 'http://www.signavio.com'
            THEN 'modeler metadata (Signavio)'
        WHEN p_ns IN ('http://camunda.org/schema/modeler/1.0', 'http://activiti.com/modeler')
            THEN 'modeler metadata'
        WHEN p_ns = 'http://www.jboss.org/drools' AND p_name IN ('metaData', 'metaValue')
            THEN 'modeler metadata (jBPM)'
        WHEN p_ns ILIKE '%caseagile%'
            THEN 'modeler metadata (caseagile)'
    END;
$$;

COMMENT ON FUNCTION flowable.bpmn_extension_reason(text, text) IS
    'Why a vendor extension element is descriptive (form fields, property lists, localized names, Signavio/modeler/jBPM/caseagile metadata, zeebe properties) and kept without running; NULL when it is behaviour, which the compiler refuses.';

REVOKE ALL ON FUNCTION flowable.bpmn_extension_reason(text, text) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_extension_reason(text, text) TO pgwf_app;
