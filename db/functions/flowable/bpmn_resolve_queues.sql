-- Deploy-time queue resolution for a compiled BPMN graph: a task without pgwf:queue
-- goes to the queue of its first candidate group (a workflow_roles.role_code) that
-- has one, else to p_default_queue. Refuses (PW422, every task named) a task whose
-- queue does not exist or cannot be found, so runs never stop on a missing queue.
-- Called by deploy_process.
CREATE OR REPLACE FUNCTION flowable.bpmn_resolve_queues(p_graph jsonb, p_default_queue varchar DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_nodes jsonb;
    v_problems text[];
BEGIN
    WITH n AS (
        SELECT x.node, x.ord, x.node ->> 'id' AS id, x.node ->> 'type' AS node_type,
               x.node #>> '{data,queueName}' AS queue,
               x.node #> '{data,candidateGroups}' AS groups
        FROM jsonb_array_elements(p_graph -> 'nodes') WITH ORDINALITY AS x(node, ord)
    ), found AS (
        SELECT n.*,
               CASE WHEN n.node_type <> 'task' OR n.queue IS NOT NULL THEN n.queue
                    ELSE (SELECT r.queue_name FROM jsonb_array_elements_text(
                                 CASE WHEN jsonb_typeof(n.groups) = 'array' THEN n.groups ELSE '[]' END)
                                 WITH ORDINALITY AS g(code, pos)
                          JOIN entitlements.workflow_roles r ON r.role_code = g.code
                          JOIN flowable.workflow_queues q ON q.queue_name = r.queue_name
                          WHERE r.queue_name IS NOT NULL
                          ORDER BY g.pos LIMIT 1) END AS role_queue
        FROM n
    ), resolved AS (
        SELECT f.*, CASE WHEN f.node_type = 'task' THEN COALESCE(f.role_queue, p_default_queue) ELSE f.role_queue END AS final_queue
        FROM found f
    )
    SELECT jsonb_agg(CASE WHEN r.node_type = 'task' AND r.queue IS NULL AND r.final_queue IS NOT NULL
                          THEN jsonb_set(r.node, '{data,queueName}', to_jsonb(r.final_queue))
                          ELSE r.node END ORDER BY r.ord),
           array_agg(CASE WHEN r.node_type = 'task' AND r.final_queue IS NULL THEN
                              format('%s: userTask names no queue (pgwf:queue) and none of its candidate groups (%s) is a role with a queue',
                                     r.id, coalesce((SELECT string_agg(g, ', ') FROM jsonb_array_elements_text(
                                         CASE WHEN jsonb_typeof(r.groups) = 'array' THEN r.groups ELSE '[]' END) g), 'none'))
                          WHEN r.node_type = 'task' AND NOT EXISTS (SELECT 1 FROM flowable.workflow_queues q WHERE q.queue_name = r.final_queue) THEN
                              format('%s: queue %s does not exist', r.id, r.final_queue)
                     END ORDER BY r.ord) FILTER (
               WHERE r.node_type = 'task' AND (r.final_queue IS NULL
                     OR NOT EXISTS (SELECT 1 FROM flowable.workflow_queues q WHERE q.queue_name = r.final_queue)))
    INTO v_nodes, v_problems
    FROM resolved r;

    IF cardinality(v_problems) > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = 'BPMN process refused: ' || array_to_string(v_problems, '; '),
            DETAIL = array_to_string(v_problems, E'\n'),
            HINT = 'name the queue with pgwf:queue="..." (xmlns:pgwf="urn:pgwf:bpmn"), give the task a candidate group whose role has a queue, or deploy with p_default_queue';
    END IF;
    RETURN jsonb_set(p_graph, '{nodes}', coalesce(v_nodes, '[]'::jsonb));
END;
$$;

COMMENT ON FUNCTION flowable.bpmn_resolve_queues(jsonb, varchar) IS
    'Fills each task''s queueName from its first candidate group''s role queue (else p_default_queue) when the BPMN names none; PW422 naming every task whose queue is missing or unknown.';

REVOKE ALL ON FUNCTION flowable.bpmn_resolve_queues(jsonb, varchar) FROM PUBLIC;
