-- The nodes of a graph as an export sees them: the BPMN element of each node type, whether its
-- data says more than that element's standard attributes (then it travels in <pgwf:data>), its
-- parent sub-process, and its diagram bounds in absolute coordinates (React Flow places a node
-- inside a sub-process relative to it; BPMN DI is absolute). A sub-process is as large as the
-- node's width/height say, else it encloses its children. Called by flowable.bpmn_from_graph and
-- flowable.bpmn_scope_xml.
CREATE OR REPLACE FUNCTION flowable.bpmn_graph_layout(p_graph jsonb)
RETURNS TABLE (ord bigint, id text, parent text, node_type text, data jsonb, element text, foreign_type boolean,
               needs_data boolean, x numeric, y numeric, w numeric, h numeric)
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    WITH RECURSIVE n AS (
        SELECT x.n AS ord, x.node ->> 'id' AS id, nullif(x.node ->> 'parentId', '') AS parent, x.node ->> 'type' AS node_type,
               coalesce(x.node -> 'data', '{}'::jsonb) AS data,
               coalesce((x.node #>> '{position,x}')::numeric, 0) AS px,
               coalesce((x.node #>> '{position,y}')::numeric, 0) AS py,
               coalesce(x.node -> 'width', x.node #> '{style,width}', x.node #> '{measured,width}') AS nw,
               coalesce(x.node -> 'height', x.node #> '{style,height}', x.node #> '{measured,height}') AS nh
        FROM jsonb_array_elements(p_graph -> 'nodes') WITH ORDINALITY AS x(node, n)
    ), abs AS (
        SELECT n.id, n.px AS ax, n.py AS ay, 0 AS depth FROM n WHERE n.parent IS NULL
        UNION ALL
        SELECT c.id, a.ax + c.px, a.ay + c.py, a.depth + 1
        FROM abs a JOIN n c ON c.parent = a.id
        WHERE a.depth < 50
    ), k AS (
        SELECT n.*, a.ax, a.ay,
               CASE n.node_type
                   WHEN 'trigger' THEN 'startEvent' WHEN 'end' THEN 'endEvent'
                   WHEN 'task' THEN 'userTask' WHEN 'approval' THEN 'userTask'
                   WHEN 'action' THEN 'serviceTask' WHEN 'integration' THEN 'serviceTask'
                   WHEN 'notification' THEN 'sendTask' WHEN 'condition' THEN 'exclusiveGateway'
                   WHEN 'gateway' THEN coalesce(n.data ->> 'kind', 'exclusive') || 'Gateway'
                   WHEN 'subprocess' THEN CASE WHEN (n.data ->> 'transaction')::boolean THEN 'transaction' ELSE 'subProcess' END
                   WHEN 'manual' THEN 'manualTask' WHEN 'receive' THEN 'receiveTask'
                   WHEN 'call' THEN 'callActivity'
                   WHEN 'event' THEN CASE WHEN n.data ? 'attachedTo' THEN 'boundaryEvent'
                                          WHEN coalesce((n.data ->> 'start')::boolean, false) THEN 'startEvent'
                                          WHEN coalesce((n.data ->> 'throw')::boolean, false) THEN 'intermediateThrowEvent'
                                          ELSE 'intermediateCatchEvent' END
               END AS element,
               n.node_type NOT IN ('trigger', 'end', 'task', 'action', 'gateway', 'subprocess', 'manual', 'receive', 'event', 'call') AS foreign_type,
               CASE n.node_type
                   WHEN 'trigger' THEN (n.data - ARRAY['label', 'documentation']) <> '{"triggerType": "manual"}'
                                       AND (n.data - ARRAY['label', 'documentation']) <> '{}'
                   WHEN 'end' THEN (n.data - ARRAY['label', 'documentation', 'terminate']) <> '{}'
                   WHEN 'gateway' THEN (n.data - ARRAY['label', 'documentation', 'kind']) <> '{}'
                                       OR coalesce(n.data ->> 'kind', 'exclusive') NOT IN ('exclusive', 'parallel', 'inclusive', 'eventBased')
                   WHEN 'task' THEN (n.data - ARRAY['label', 'documentation', 'queueName', 'candidateGroups', 'candidateUsers',
                                                    'assignee', 'priority', 'dueInMinutes', 'dueDate', 'formKey']) <> '{}'
                                    OR coalesce(jsonb_typeof(n.data -> 'candidateGroups'), 'array') <> 'array'
                                    OR coalesce(jsonb_typeof(n.data -> 'candidateUsers'), 'array') <> 'array'
                                    OR n.data -> 'candidateGroups' = '[]' OR n.data -> 'candidateUsers' = '[]'
                                    OR coalesce(jsonb_typeof(n.data -> 'dueInMinutes'), 'number') <> 'number'
                                    OR coalesce(jsonb_typeof(n.data -> 'priority'), 'number') NOT IN ('number', 'string')
                   WHEN 'action' THEN (n.data - ARRAY['label', 'documentation', 'connector']) <> '{}'
                   WHEN 'manual' THEN (n.data - ARRAY['label', 'documentation']) <> '{}'
                   WHEN 'subprocess' THEN (n.data - ARRAY['label', 'documentation', 'triggeredByEvent', 'transaction']) <> '{}'
                   -- a call activity's version binding has no Flowable attribute but "same deployment"
                   WHEN 'call' THEN (n.data - ARRAY['label', 'documentation', 'calledElement', 'inheritVariables', 'inheritBusinessKey',
                                                    'businessKey', 'in', 'out']) <> '{}'
                   ELSE true
               END AS needs_data
        FROM n JOIN abs a ON a.id = n.id
    )
    SELECT k.ord, k.id, k.parent, k.node_type, k.data, k.element, k.foreign_type, k.needs_data, k.ax, k.ay,
           CASE WHEN k.node_type IN ('trigger', 'end', 'event') THEN 36
                WHEN k.node_type IN ('gateway', 'condition') THEN 50
                WHEN k.node_type = 'subprocess' THEN coalesce(
                    CASE WHEN jsonb_typeof(k.nw) = 'number' THEN (k.nw #>> '{}')::numeric END,
                    (SELECT max(c.ax) - k.ax + 150 FROM k c WHERE c.parent = k.id), 350)
                ELSE 100 END,
           CASE WHEN k.node_type IN ('trigger', 'end', 'event') THEN 36
                WHEN k.node_type IN ('gateway', 'condition') THEN 50
                WHEN k.node_type = 'subprocess' THEN coalesce(
                    CASE WHEN jsonb_typeof(k.nh) = 'number' THEN (k.nh #>> '{}')::numeric END,
                    (SELECT max(c.ay) - k.ay + 130 FROM k c WHERE c.parent = k.id), 200)
                ELSE 80 END
    FROM k;
$$;

COMMENT ON FUNCTION flowable.bpmn_graph_layout(jsonb) IS
    'Each graph node with its BPMN element, pgwf:type/pgwf:data needs, parent sub-process and absolute diagram bounds (children of a sub-process are placed relative to it, as React Flow does).';

REVOKE ALL ON FUNCTION flowable.bpmn_graph_layout(jsonb) FROM PUBLIC;
-- pure (no table access): the BPMN functions granted to callers run it as the caller
GRANT EXECUTE ON FUNCTION flowable.bpmn_graph_layout(jsonb) TO pgwf_app;
