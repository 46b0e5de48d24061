-- Why the BPMN compiler keeps an element without running it, or NULL when the
-- element is not descriptive. p_kind is the BPMN local name; p_as_child says the
-- element sits inside a flow node (a task's property or data association) rather
-- than directly in the process or a lane. One list for flowable.bpmn_compile's
-- refusals and for the ignored list it returns (docs/bpmn.md, "What is ignored").
CREATE OR REPLACE FUNCTION flowable.bpmn_ignored_reason(p_kind text, p_as_child boolean)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN p_kind IN ('laneSet', 'childLaneSet') AND NOT p_as_child
            THEN 'lanes describe who works where; each node keeps its lane (data.lane)'
        WHEN p_kind = 'lane' AND NOT p_as_child
            THEN 'each node keeps its lane (data.lane); a user task naming no candidate group, user or assignee takes the lane''s name as candidate group'
        WHEN p_kind IN ('textAnnotation', 'association', 'group') AND NOT p_as_child
            THEN 'an annotation of the diagram'
        WHEN p_kind IN ('dataObject', 'dataObjectReference', 'dataStoreReference') AND NOT p_as_child
            THEN 'a data object or store describes data; pgwf keeps a run''s data in its variables'
        WHEN p_kind = 'property'
            THEN 'a property declares data; pgwf keeps a run''s data in its variables'
        WHEN p_kind IN ('ioSpecification', 'dataInput', 'dataOutput', 'inputSet', 'outputSet')
            THEN 'an input/output declaration without a mapping pgwf runs'
        WHEN p_kind IN ('dataInputAssociation', 'dataOutputAssociation') AND p_as_child
            THEN 'a data association without assignment or transformation only links data for the diagram'
        WHEN p_kind = 'rendering' AND p_as_child
            THEN 'a rendering hint; pgwf shows the form named by formKey'
    END;
$$;

COMMENT ON FUNCTION flowable.bpmn_ignored_reason(text, boolean) IS
    'Why a descriptive BPMN element (lane, annotation, data object or store, property, I/O declaration, plain data association, rendering) is kept and never run; NULL for any other element.';

REVOKE ALL ON FUNCTION flowable.bpmn_ignored_reason(text, boolean) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_ignored_reason(text, boolean) TO pgwf_app;
