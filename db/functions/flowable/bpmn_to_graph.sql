-- The graph (React Flow JSON: nodes, edges, viewport) a BPMN 2.0 document
-- compiles to; for editors and tests that want the graph without deploying.
CREATE OR REPLACE FUNCTION flowable.bpmn_to_graph(p_xml text)
RETURNS jsonb
LANGUAGE sql
STABLE
PARALLEL SAFE
RETURN flowable.bpmn_compile(p_xml) -> 'graph';

COMMENT ON FUNCTION flowable.bpmn_to_graph(text) IS
    'Compiles a BPMN 2.0 document into React Flow JSON (docs/graph-model.md); refuses it like flowable.bpmn_compile.';

REVOKE ALL ON FUNCTION flowable.bpmn_to_graph(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION flowable.bpmn_to_graph(text) TO pgwf_app;
