-- Validates a React Flow graph (workflows.workflow_data) before it is saved: refuses with PW422
-- naming the node or edge at fault. Called by save_workflow (and by the BPMN deployment, which
-- saves its compiled graph through save_workflow). The rules are in docs/graph-model.md. A person
-- needs workflow_admin (require_model_admin) and a graph over the size limits (model_limit) is
-- refused before anything else is looked at; every check below is linear or n log n in the
-- graph's size (a 2,000-node graph validates in milliseconds).
CREATE OR REPLACE FUNCTION automation.validate_workflow_graph(p_data jsonb)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_bad record;
    v_problem text;
    v_count integer;
    v_limit integer;
    v_ids text[];
    v_roots integer[];
    v_targets integer[];
    v_first integer[];
    v_degree integer[];
    v_seen boolean[];
    v_stack integer[];
    v_top integer;
    v_cur integer;
    v_next integer;
BEGIN
    PERFORM automation.require_model_admin('validate workflow models');
    IF p_data IS NULL OR jsonb_typeof(p_data) <> 'object'
       OR jsonb_typeof(p_data -> 'nodes') IS DISTINCT FROM 'array'
       OR jsonb_typeof(COALESCE(p_data -> 'edges', '[]')) <> 'array' THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = 'workflow_data must be an object with a "nodes" array and an "edges" array',
            HINT = 'Send React Flow''s own JSON: {"nodes": [...], "edges": [...], "viewport": {...}}.';
    END IF;
    v_count := jsonb_array_length(p_data -> 'nodes');
    v_limit := automation.model_limit('graph_nodes');
    IF v_count > v_limit THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('the workflow has %s nodes; the limit graph_nodes is %s', v_count, v_limit),
            HINT = 'Split the model: a call node runs another workflow as a child run.';
    END IF;
    v_count := jsonb_array_length(COALESCE(p_data -> 'edges', '[]'));
    v_limit := automation.model_limit('graph_edges');
    IF v_count > v_limit THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('the workflow has %s edges; the limit graph_edges is %s', v_count, v_limit),
            HINT = 'Split the model: a call node runs another workflow as a child run.';
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

    WITH n AS (SELECT n.node ->> 'id' AS id FROM jsonb_array_elements(p_data -> 'nodes') AS n(node))
    SELECT e.edge ->> 'id' AS id,
           CASE WHEN s.id IS NULL THEN 'source' ELSE 'target' END AS side,
           CASE WHEN s.id IS NULL THEN e.edge ->> 'source' ELSE e.edge ->> 'target' END AS missing
    INTO v_bad
    FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) WITH ORDINALITY AS e(edge, ord)
    LEFT JOIN n s ON s.id = e.edge ->> 'source'
    LEFT JOIN n t ON t.id = e.edge ->> 'target'
    WHERE s.id IS NULL OR t.id IS NULL
    ORDER BY e.ord LIMIT 1;
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
        SELECT max(length(c::text)) INTO v_count FROM jsonb_array_elements(v_bad.conds) c;
        IF v_count > automation.model_limit('condition_chars') THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422',
                MESSAGE = format('edge %s has a condition of %s characters; the limit condition_chars is %s',
                                 v_bad.id, v_count, automation.model_limit('condition_chars'));
        END IF;
        SELECT automation.condition_problem(c) INTO v_problem
        FROM jsonb_array_elements(v_bad.conds) c
        WHERE automation.condition_problem(c) IS NOT NULL LIMIT 1;
        IF v_problem IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('edge %s has a malformed condition: %s', v_bad.id, v_problem);
        END IF;
    END LOOP;

    -- per node type
    SELECT n.node ->> 'id' AS id, length((n.node #> '{data,condition}')::text) AS chars INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    WHERE n.node ->> 'type' = 'condition' AND length((n.node #> '{data,condition}')::text) > automation.model_limit('condition_chars')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('condition node %s has a condition of %s characters; the limit condition_chars is %s',
                             v_bad.id, v_bad.chars, automation.model_limit('condition_chars'));
    END IF;
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

    SELECT n.node ->> 'id' AS id, flowable.form_problem(n.node #> '{data,form}') AS problem INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') AS n(node)
    WHERE n.node ->> 'type' = 'task' AND flowable.form_problem(n.node #> '{data,form}') IS NOT NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('task node %s: %s', v_bad.id, v_bad.problem),
            HINT = 'data.form is an array of fields: {"name", "label", "type": string|text|number|integer|boolean|date|enum, "required", "options" (enum)}.';
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

    -- The links as adjacency arrays over the nodes' positions (targets of node i at
    -- v_targets[v_first[i] .. v_first[i] + v_degree[i] - 1]), built with hash joins.
    WITH ids AS (
        SELECT n.node, n.node ->> 'id' AS id, n.ord::integer AS ord
        FROM jsonb_array_elements(p_data -> 'nodes') WITH ORDINALITY AS n(node, ord)
    ), entered AS (
        SELECT DISTINCT e.edge ->> 'target' AS id FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) e(edge)
    ), links(source, target) AS (
        SELECT e.edge ->> 'source', e.edge ->> 'target'
        FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) e(edge)
        UNION ALL
        SELECT i.node ->> 'parentId', i.id
        FROM ids i LEFT JOIN entered x ON x.id = i.id
        WHERE COALESCE(i.node ->> 'parentId', '') <> '' AND x.id IS NULL
        UNION ALL
        SELECT i.node #>> '{data,attachedTo}', i.id
        FROM ids i
        WHERE i.node ->> 'type' = 'event' AND i.node #>> '{data,attachedTo}' IS NOT NULL
        UNION ALL
        SELECT t.id, c.id
        FROM ids t
        JOIN ids c
          ON c.node #>> '{data,event}' = 'link' AND NOT COALESCE((c.node #>> '{data,throw}')::boolean, false)
         AND c.node #>> '{data,name}' = t.node #>> '{data,name}'
         AND COALESCE(c.node ->> 'parentId', '') = COALESCE(t.node ->> 'parentId', '')
        WHERE t.node #>> '{data,event}' = 'link' AND COALESCE((t.node #>> '{data,throw}')::boolean, false)
    ), adjacent AS (
        SELECT s.ord AS src, t.ord AS tgt FROM links l JOIN ids s ON s.id = l.source JOIN ids t ON t.id = l.target
    ), degree AS (
        SELECT i.ord, count(a.src)::integer AS n FROM ids i LEFT JOIN adjacent a ON a.src = i.ord GROUP BY i.ord
    )
    SELECT (SELECT array_agg(i.id ORDER BY i.ord) FROM ids i),
           (SELECT array_agg(i.ord ORDER BY i.ord) FROM ids i
            WHERE (i.node ->> 'type' = 'trigger' AND COALESCE(i.node ->> 'parentId', '') = '')
               -- an event sub-process at the top level starts by its own event
               OR (i.node ->> 'type' = 'subprocess' AND COALESCE((i.node #>> '{data,triggeredByEvent}')::boolean, false)
                   AND COALESCE(i.node ->> 'parentId', '') = '')),
           (SELECT array_agg(a.tgt ORDER BY a.src) FROM adjacent a),
           (SELECT array_agg(f.first ORDER BY f.ord) FROM (
                SELECT d.ord, (sum(d.n) OVER (ORDER BY d.ord) - d.n + 1)::integer AS first FROM degree d) f),
           (SELECT array_agg(d.n ORDER BY d.ord) FROM degree d)
    INTO v_ids, v_roots, v_targets, v_first, v_degree;

    -- A depth-first walk from the roots, a loop over arrays: each node and link is visited once
    -- (a recursive CTE rescans every link once per level, quadratic on a long chain).
    v_seen := array_fill(false, ARRAY[cardinality(v_ids)]);
    v_stack := COALESCE(v_roots, ARRAY[]::integer[]);
    v_top := cardinality(v_stack);
    FOR v_cur IN SELECT unnest(v_stack) LOOP
        v_seen[v_cur] := true;
    END LOOP;
    WHILE v_top > 0 LOOP
        v_cur := v_stack[v_top];
        v_top := v_top - 1;
        FOR v_next IN v_first[v_cur] .. v_first[v_cur] + v_degree[v_cur] - 1 LOOP
            IF NOT v_seen[v_targets[v_next]] THEN
                v_seen[v_targets[v_next]] := true;
                v_top := v_top + 1;
                v_stack[v_top] := v_targets[v_next];
            END IF;
        END LOOP;
    END LOOP;
    SELECT v_ids[i] AS id INTO v_bad FROM generate_subscripts(v_seen, 1) i WHERE NOT v_seen[i] ORDER BY i LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('node %s cannot be reached from any trigger node', v_bad.id);
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.validate_workflow_graph(jsonb) IS
    'Refuses (PW422, naming the node or edge) a workflow graph with: malformed JSON, a missing or duplicate node/edge id, an unknown node type, an edge to a missing node, a malformed condition, a condition node without true and false edges, an approval without approved and rejected edges or approverRole, an edge leaving a condition or approval node without an outcome handle, an edge leaving an end node, a malformed sub-process or event (validate_workflow_scopes), an ambiguous input./steps. path (validate_workflow_paths), no top-level trigger node, a node unreachable from a trigger; over the limits graph_nodes, graph_edges or condition_chars (model_limit), checked first. PW401/PW403 for a person without workflow_admin (require_model_admin).';

REVOKE ALL ON FUNCTION automation.validate_workflow_graph(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION automation.validate_workflow_graph(jsonb) TO pgwf_app;
