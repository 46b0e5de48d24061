-- Validates a React Flow graph (workflows.workflow_data) before it is saved: refuses with PW422
-- naming the node or edge at fault. Called by save_workflow (and by the BPMN deployment, which
-- saves its compiled graph through save_workflow). The rules are in docs/graph-model.md.
CREATE OR REPLACE FUNCTION automation.validate_workflow_graph(p_data jsonb)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_bad record;
    v_problem text;
BEGIN
    IF p_data IS NULL OR jsonb_typeof(p_data) <> 'object'
       OR jsonb_typeof(p_data -> 'nodes') IS DISTINCT FROM 'array'
       OR jsonb_typeof(COALESCE(p_data -> 'edges', '[]')) <> 'array' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = 'workflow_data must be an object with a "nodes" array and an "edges" array',
            HINT = 'Send React Flow''s own JSON: {"nodes": [...], "edges": [...], "viewport": {...}}.';
    END IF;

    -- nodes: id, type, label, position
    SELECT n.ord, n.node INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') WITH ORDINALITY AS n(node, ord)
    WHERE jsonb_typeof(n.node) <> 'object'
       OR jsonb_typeof(n.node -> 'id') IS DISTINCT FROM 'string' OR n.node ->> 'id' = ''
       OR length(n.node ->> 'id') > 100
    ORDER BY n.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('node #%s has no valid "id" (a non-empty string of at most 100 characters)', v_bad.ord),
            DETAIL = left(v_bad.node::text, 200);
    END IF;

    SELECT n.node ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    GROUP BY n.node ->> 'id' HAVING count(*) > 1 ORDER BY 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('node id %s appears more than once', v_bad.id);
    END IF;

    SELECT n.node ->> 'id' AS id, n.node ->> 'type' AS type INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    WHERE COALESCE(n.node ->> 'type', '') NOT IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification', 'task', 'gateway', 'end',
         'subprocess', 'event', 'manual', 'receive', 'call')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('node %s has unknown type %s', v_bad.id, COALESCE(quote_literal(v_bad.type), 'NULL')),
            HINT = 'Node types: trigger, action, condition, approval, integration, notification, task, gateway, end, subprocess, event, manual, receive, call.';
    END IF;

    SELECT n.node ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    WHERE (n.node -> 'data' IS NOT NULL AND jsonb_typeof(n.node -> 'data') <> 'object')
       OR length(COALESCE(n.node #>> '{data,label}', '')) > 255
       OR (n.node -> 'position' IS NOT NULL AND (
              jsonb_typeof(n.node -> 'position') <> 'object'
              OR jsonb_typeof(COALESCE(n.node #> '{position,x}', '0')) <> 'number'
              OR jsonb_typeof(COALESCE(n.node #> '{position,y}', '0')) <> 'number'))
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('node %s has a malformed "data" (an object, label at most 255 characters) or "position" ({x, y} numbers)', v_bad.id);
    END IF;

    -- edges: id, source, target
    SELECT e.ord, e.edge INTO v_bad
    FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) WITH ORDINALITY AS e(edge, ord)
    WHERE jsonb_typeof(e.edge) <> 'object'
       OR jsonb_typeof(e.edge -> 'id') IS DISTINCT FROM 'string' OR e.edge ->> 'id' = ''
       OR length(e.edge ->> 'id') > 100
    ORDER BY e.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('edge #%s has no valid "id" (a non-empty string of at most 100 characters)', v_bad.ord),
            DETAIL = left(v_bad.edge::text, 200);
    END IF;

    SELECT e.edge ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) AS e(edge)
    GROUP BY e.edge ->> 'id' HAVING count(*) > 1 ORDER BY 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('edge id %s appears more than once', v_bad.id);
    END IF;

    SELECT e.edge ->> 'id' AS id,
           CASE WHEN NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_data -> 'nodes') n(node)
                                 WHERE n.node ->> 'id' = e.edge ->> 'source')
                THEN 'source' ELSE 'target' END AS side,
           CASE WHEN NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_data -> 'nodes') n(node)
                                 WHERE n.node ->> 'id' = e.edge ->> 'source')
                THEN e.edge ->> 'source' ELSE e.edge ->> 'target' END AS missing
    INTO v_bad
    FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) AS e(edge)
    WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_data -> 'nodes') n(node) WHERE n.node ->> 'id' = e.edge ->> 'source')
       OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_data -> 'nodes') n(node) WHERE n.node ->> 'id' = e.edge ->> 'target')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('edge %s has %s %s, which is not a node of the workflow', v_bad.id, v_bad.side,
                             COALESCE(quote_literal(v_bad.missing), 'NULL'));
    END IF;

    SELECT e.edge ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) AS e(edge)
    WHERE length(COALESCE(e.edge ->> 'sourceHandle', '')) > 50 OR length(COALESCE(e.edge ->> 'targetHandle', '')) > 50
       OR length(COALESCE(e.edge ->> 'type', '')) > 50
       OR (e.edge -> 'data' IS NOT NULL AND jsonb_typeof(e.edge -> 'data') NOT IN ('object', 'null'))
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('edge %s has a malformed handle, type (at most 50 characters) or "data" (an object)', v_bad.id);
    END IF;

    -- edge conditions: {"conditions": [c, ...]} or {"default": true}
    FOR v_bad IN
        SELECT e.edge ->> 'id' AS id, e.edge #> '{data,conditions}' AS conds
        FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) AS e(edge)
        WHERE e.edge #> '{data,conditions}' IS NOT NULL AND e.edge #> '{data,conditions}' <> 'null'::jsonb
    LOOP
        -- a loop: each conditional edge is checked and the first bad one named
        IF jsonb_typeof(v_bad.conds) <> 'array' OR jsonb_array_length(v_bad.conds) = 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422',
                MESSAGE = format('edge %s: data.conditions must be a non-empty array of conditions', v_bad.id);
        END IF;
        SELECT automation.condition_problem(c) INTO v_problem
        FROM jsonb_array_elements(v_bad.conds) c
        WHERE automation.condition_problem(c) IS NOT NULL LIMIT 1;
        IF v_problem IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('edge %s has a malformed condition: %s', v_bad.id, v_problem);
        END IF;
    END LOOP;

    -- per node type
    SELECT n.node ->> 'id' AS id, automation.condition_problem(n.node #> '{data,condition}') AS problem INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    WHERE n.node ->> 'type' = 'condition' AND automation.condition_problem(n.node #> '{data,condition}') IS NOT NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('condition node %s has a malformed condition: %s', v_bad.id, v_bad.problem);
    END IF;

    SELECT n.node ->> 'id' AS id, h.handle INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    CROSS JOIN LATERAL (
        SELECT unnest(CASE n.node ->> 'type' WHEN 'condition' THEN ARRAY['true', 'false']
                                            WHEN 'approval' THEN ARRAY['approved', 'rejected'] END) AS handle
    ) h
    WHERE NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) e(edge)
        WHERE e.edge ->> 'source' = n.node ->> 'id' AND e.edge ->> 'sourceHandle' = h.handle)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('node %s has no outgoing edge for the outcome %s', v_bad.id, quote_literal(v_bad.handle)),
            HINT = 'A condition node needs edges with sourceHandle "true" and "false"; an approval node "approved" and "rejected".';
    END IF;

    SELECT e.edge ->> 'id' AS id, n.node ->> 'id' AS node, n.node ->> 'type' AS type INTO v_bad
    FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) AS e(edge)
    JOIN jsonb_array_elements(p_data -> 'nodes') AS n(node) ON n.node ->> 'id' = e.edge ->> 'source'
    WHERE (n.node ->> 'type' = 'condition' AND COALESCE(e.edge ->> 'sourceHandle', '') NOT IN ('true', 'false'))
       OR (n.node ->> 'type' = 'approval' AND COALESCE(e.edge ->> 'sourceHandle', '') NOT IN ('approved', 'rejected', 'expired'))
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('edge %s leaves %s node %s without an outcome handle (%s)', v_bad.id, v_bad.type, v_bad.node,
                             CASE v_bad.type WHEN 'condition' THEN 'true or false' ELSE 'approved, rejected or expired' END),
            HINT = 'The run takes an edge of a condition or approval node only for its outcome, given as sourceHandle.';
    END IF;

    SELECT n.node ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    WHERE n.node ->> 'type' = 'approval'
      AND (jsonb_typeof(n.node #> '{data,approverRole}') IS DISTINCT FROM 'string' OR n.node #>> '{data,approverRole}' = ''
           OR (n.node #> '{data,expiresInMinutes}' IS NOT NULL AND jsonb_typeof(n.node #> '{data,expiresInMinutes}') <> 'number'))
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('approval node %s needs data.approverRole (a role code) and a numeric expiresInMinutes if any', v_bad.id);
    END IF;

    SELECT n.node ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    WHERE n.node ->> 'type' = 'gateway'
      AND COALESCE(n.node #>> '{data,kind}', 'exclusive') NOT IN ('exclusive', 'parallel', 'inclusive', 'eventBased')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('gateway node %s has data.kind outside exclusive, parallel, inclusive, eventBased', v_bad.id);
    END IF;

    SELECT n.node ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    WHERE n.node ->> 'type' IN ('action', 'integration')
      AND ((n.node #> '{data,maxRetries}' IS NOT NULL AND jsonb_typeof(n.node #> '{data,maxRetries}') <> 'number')
           OR (n.node #> '{data,input}' IS NOT NULL AND jsonb_typeof(n.node #> '{data,input}') <> 'object'))
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('node %s: data.maxRetries must be a number and data.input an object', v_bad.id);
    END IF;

    SELECT n.node ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    WHERE n.node ->> 'type' = 'task'
      AND (jsonb_typeof(n.node #> '{data,queueName}') IS DISTINCT FROM 'string' OR n.node #>> '{data,queueName}' = '')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('task node %s needs data.queueName', v_bad.id);
    END IF;

    SELECT n.node ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    WHERE n.node ->> 'type' = 'notification'
      AND COALESCE(n.node #>> '{data,channel}', 'email') NOT IN ('email', 'slack', 'webhook', 'sms')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('notification node %s has data.channel outside email, slack, webhook, sms', v_bad.id);
    END IF;

    SELECT e.edge ->> 'id' AS id, e.edge ->> 'source' AS source INTO v_bad
    FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) AS e(edge)
    JOIN jsonb_array_elements(p_data -> 'nodes') AS n(node) ON n.node ->> 'id' = e.edge ->> 'source'
    WHERE n.node ->> 'type' = 'end'
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('edge %s leaves end node %s; an end node has no outgoing edges', v_bad.id, v_bad.source);
    END IF;

    -- sub-processes, events and the scopes their flows stay in; paths that say what they read
    PERFORM automation.validate_workflow_scopes(p_data);
    PERFORM automation.validate_workflow_paths(p_data);
    PERFORM automation.validate_workflow_loops(p_data);
    PERFORM automation.validate_workflow_calls(p_data);

    -- a trigger at the top level, and every node reachable from one: through flows, from a
    -- sub-process to the nodes inside it that no flow enters, from an activity to its boundary events,
    -- from a link throw to the link catch of its name; a top-level event sub-process is a root
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_data -> 'nodes') n(node)
                   WHERE n.node ->> 'type' = 'trigger' AND COALESCE(n.node ->> 'parentId', '') = '') THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = 'the workflow has no trigger node',
            HINT = 'Every run starts at a node of type trigger outside any sub-process.';
    END IF;

    WITH RECURSIVE links(source, target) AS (
        SELECT e.edge ->> 'source', e.edge ->> 'target'
        FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) e(edge)
        UNION ALL
        SELECT n.node ->> 'parentId', n.node ->> 'id'
        FROM jsonb_array_elements(p_data -> 'nodes') n(node)
        WHERE COALESCE(n.node ->> 'parentId', '') <> ''
          AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) e(edge)
                          WHERE e.edge ->> 'target' = n.node ->> 'id')
        UNION ALL
        SELECT n.node #>> '{data,attachedTo}', n.node ->> 'id'
        FROM jsonb_array_elements(p_data -> 'nodes') n(node)
        WHERE n.node ->> 'type' = 'event' AND n.node #>> '{data,attachedTo}' IS NOT NULL
        UNION ALL
        SELECT t.node ->> 'id', c.node ->> 'id'
        FROM jsonb_array_elements(p_data -> 'nodes') t(node)
        JOIN jsonb_array_elements(p_data -> 'nodes') c(node)
          ON c.node #>> '{data,event}' = 'link' AND NOT COALESCE((c.node #>> '{data,throw}')::boolean, false)
         AND c.node #>> '{data,name}' = t.node #>> '{data,name}'
         AND COALESCE(c.node ->> 'parentId', '') = COALESCE(t.node ->> 'parentId', '')
        WHERE t.node #>> '{data,event}' = 'link' AND COALESCE((t.node #>> '{data,throw}')::boolean, false)
    ), reach(id) AS (
        SELECT n.node ->> 'id' FROM jsonb_array_elements(p_data -> 'nodes') n(node)
        WHERE (n.node ->> 'type' = 'trigger' AND COALESCE(n.node ->> 'parentId', '') = '')
           -- an event sub-process at the top level starts by its own event
           OR (n.node ->> 'type' = 'subprocess' AND COALESCE((n.node #>> '{data,triggeredByEvent}')::boolean, false)
               AND COALESCE(n.node ->> 'parentId', '') = '')
        UNION
        SELECT l.target FROM reach r JOIN links l ON l.source = r.id
    )
    SELECT n.node ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') WITH ORDINALITY AS n(node, ord)
    WHERE NOT EXISTS (SELECT 1 FROM reach r WHERE r.id = n.node ->> 'id')
    ORDER BY n.ord LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('node %s cannot be reached from any trigger node', v_bad.id);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.validate_workflow_graph(jsonb) IS
    'Refuses (PW422, naming the node or edge) a workflow graph with: malformed JSON, a missing or duplicate node/edge id, an unknown node type, an edge to a missing node, a malformed condition, a condition node without true and false edges, an approval without approved and rejected edges or approverRole, an edge leaving a condition or approval node without an outcome handle, an edge leaving an end node, a malformed sub-process or event (validate_workflow_scopes), an ambiguous input./steps. path (validate_workflow_paths), no top-level trigger node, a node unreachable from a trigger.';

REVOKE ALL ON FUNCTION automation.validate_workflow_graph(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.validate_workflow_graph(jsonb) TO pgwf_app;
