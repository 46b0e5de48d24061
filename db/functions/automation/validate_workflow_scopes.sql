-- Validates the scopes and events of a React Flow graph: a parentId names a subprocess node, a
-- flow connects two nodes of the same scope, a boundary event is attached to an activity of its
-- own scope, an event names a kind the engine runs and what that kind needs (a timer
-- definition, a message or signal name, a link name with one catching target), a cancel event
-- belongs to a transaction sub-process. Refuses with
-- PW422 naming the node or edge. Called by validate_workflow_graph.
CREATE OR REPLACE FUNCTION automation.validate_workflow_scopes(p_data jsonb)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_bad record;
BEGIN
    SELECT n.node ->> 'id' AS id, n.node ->> 'parentId' AS parent INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') n(node)
    WHERE COALESCE(n.node ->> 'parentId', '') <> ''
      AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_data -> 'nodes') p(node)
                      WHERE p.node ->> 'id' = n.node ->> 'parentId' AND p.node ->> 'type' = 'subprocess')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('node %s has parentId %s, which is not a subprocess node', v_bad.id, quote_literal(v_bad.parent));
    END IF;

    SELECT e.edge ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) e(edge)
    JOIN jsonb_array_elements(p_data -> 'nodes') s(node) ON s.node ->> 'id' = e.edge ->> 'source'
    JOIN jsonb_array_elements(p_data -> 'nodes') t(node) ON t.node ->> 'id' = e.edge ->> 'target'
    WHERE COALESCE(s.node ->> 'parentId', '') <> COALESCE(t.node ->> 'parentId', '')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('edge %s crosses the border of a sub-process; a flow connects two nodes of the same scope', v_bad.id);
    END IF;

    SELECT n.node ->> 'id' AS id, n.node #>> '{data,event}' AS event INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') n(node)
    WHERE n.node ->> 'type' = 'event'
      AND COALESCE(n.node #>> '{data,event}', 'none') NOT IN ('none', 'timer', 'message', 'signal', 'error', 'escalation', 'link', 'cancel')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('event node %s has unknown event %s', v_bad.id, quote_literal(v_bad.event)),
            HINT = 'Events: none, timer, message, signal, error, escalation, link, cancel.';
    END IF;

    -- a transaction's cancel: a cancel end event lies directly inside a transaction sub-process,
    -- whose cancel boundary event takes the token on; a cancel boundary is attached to a transaction
    SELECT c.id, c.problem INTO v_bad
    FROM (
        SELECT n.node ->> 'id' AS id, CASE
            WHEN n.node ->> 'type' NOT IN ('end', 'event')
                THEN 'only an end event or a boundary event may be a cancel event'
            WHEN n.node ->> 'type' = 'end' AND NOT COALESCE((p.node #>> '{data,transaction}')::boolean, false)
                THEN 'a cancel end event lies directly inside a transaction sub-process (data.transaction)'
            WHEN n.node ->> 'type' = 'end' AND NOT EXISTS (
                     SELECT 1 FROM jsonb_array_elements(p_data -> 'nodes') b(node)
                     WHERE b.node ->> 'type' = 'event' AND b.node #>> '{data,event}' = 'cancel'
                       AND b.node #>> '{data,attachedTo}' = p.node ->> 'id')
                THEN format('its transaction %s has no cancel boundary event to leave by', p.node ->> 'id')
            WHEN n.node ->> 'type' = 'event' AND NOT COALESCE((h.node #>> '{data,transaction}')::boolean, false)
                THEN 'a cancel event is a boundary event of a transaction sub-process or the end event inside one'
            WHEN n.node ->> 'type' = 'event' AND NOT COALESCE((n.node #>> '{data,interrupting}')::boolean, true)
                THEN 'a cancel boundary event always interrupts'
            END AS problem
        FROM jsonb_array_elements(p_data -> 'nodes') n(node)
        LEFT JOIN LATERAL (SELECT x.node FROM jsonb_array_elements(p_data -> 'nodes') x(node)
                           WHERE x.node ->> 'id' = n.node ->> 'parentId') p ON true
        LEFT JOIN LATERAL (SELECT x.node FROM jsonb_array_elements(p_data -> 'nodes') x(node)
                           WHERE x.node ->> 'id' = n.node #>> '{data,attachedTo}') h ON true
        WHERE n.node #>> '{data,event}' = 'cancel'
    ) c
    WHERE c.problem IS NOT NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('cancel event %s: %s', v_bad.id, v_bad.problem);
    END IF;
    SELECT n.node ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') n(node)
    WHERE n.node ->> 'type' = 'subprocess' AND n.node #> '{data,transaction}' IS NOT NULL
      AND (jsonb_typeof(n.node #> '{data,transaction}') <> 'boolean'
           OR (COALESCE((n.node #>> '{data,transaction}')::boolean, false) AND COALESCE((n.node #>> '{data,triggeredByEvent}')::boolean, false)))
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('sub-process %s: data.transaction is true or false, and an event sub-process is no transaction', v_bad.id);
    END IF;

    SELECT n.node ->> 'id' AS id, n.node #>> '{data,attachedTo}' AS host INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') n(node)
    WHERE n.node ->> 'type' = 'event' AND n.node #> '{data,attachedTo}' IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(p_data -> 'nodes') h(node)
                      WHERE h.node ->> 'id' = n.node #>> '{data,attachedTo}'
                        AND h.node ->> 'type' IN ('action', 'integration', 'approval', 'task', 'subprocess', 'receive', 'manual', 'call')
                        AND COALESCE(h.node ->> 'parentId', '') = COALESCE(n.node ->> 'parentId', ''))
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('boundary event %s is attached to %s, which is no activity of its own scope',
                             v_bad.id, quote_literal(v_bad.host));
    END IF;

    SELECT n.node ->> 'id' AS id, n.node #>> '{data,event}' AS event INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') n(node)
    WHERE n.node ->> 'type' IN ('event', 'receive', 'end')
      AND ((COALESCE(n.node #>> '{data,event}', CASE n.node ->> 'type' WHEN 'receive' THEN 'message' END) IN ('message', 'signal')
            AND COALESCE(n.node #>> '{data,name}', '') = '')
        OR (n.node #>> '{data,event}' = 'link' AND COALESCE(n.node #>> '{data,name}', '') = ''))
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('node %s needs data.name: the %s it waits for or sends', v_bad.id, COALESCE(v_bad.event, 'message'));
    END IF;

    SELECT n.node ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') n(node)
    WHERE n.node ->> 'type' = 'trigger' AND COALESCE(n.node #>> '{data,event}', 'none') <> 'none'
      AND (COALESCE(n.node ->> 'parentId', '') <> '' OR n.node #>> '{data,event}' NOT IN ('message', 'signal', 'timer'))
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('node %s: a process starts plainly or on a message, a signal or a timer; error and escalation start events belong to event sub-processes', v_bad.id);
    END IF;
    SELECT n.node ->> 'id' AS id INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') n(node)
    WHERE n.node ->> 'type' = 'trigger' AND n.node #>> '{data,event}' = 'timer' AND (n.node #> '{data,timer}')::text LIKE '%{{%'
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('timer start event %s: its timer is scheduled at deployment, before any run data exists, so it cannot read {{...}}', v_bad.id);
    END IF;

    -- an event sub-process: no flow in or out, one start event inside that names what starts it
    SELECT n.node ->> 'id' AS id, x.problem INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') n(node)
    CROSS JOIN LATERAL (SELECT
        (SELECT count(*) FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) e(edge)
         WHERE n.node ->> 'id' IN (e.edge ->> 'source', e.edge ->> 'target')) AS flows,
        (SELECT jsonb_agg(s.node) FROM jsonb_array_elements(p_data -> 'nodes') s(node)
         WHERE s.node ->> 'parentId' = n.node ->> 'id' AND COALESCE((s.node #>> '{data,start}')::boolean, false)) AS starts) c
    CROSS JOIN LATERAL (SELECT CASE
        WHEN c.flows > 0 THEN 'an event sub-process has no incoming or outgoing flows'
        WHEN jsonb_array_length(COALESCE(c.starts, '[]')) <> 1
            THEN 'an event sub-process has exactly one start event (an event node with data.start)'
        WHEN COALESCE(c.starts #>> '{0,data,event}', 'none') NOT IN ('timer', 'message', 'signal', 'error', 'escalation')
            THEN 'the start event of an event sub-process is a timer, message, signal, error or escalation event'
        WHEN c.starts #>> '{0,data,event}' = 'error' AND NOT COALESCE((c.starts #>> '{0,data,interrupting}')::boolean, true)
            THEN 'an error start event always interrupts'
        END AS problem) x
    WHERE n.node ->> 'type' = 'subprocess' AND COALESCE((n.node #>> '{data,triggeredByEvent}')::boolean, false)
      AND x.problem IS NOT NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422', MESSAGE = format('event sub-process %s: %s', v_bad.id, v_bad.problem);
    END IF;

    SELECT e.edge ->> 'id' AS id, e.edge ->> 'source' AS source INTO v_bad
    FROM jsonb_array_elements(COALESCE(p_data -> 'edges', '[]')) e(edge)
    JOIN jsonb_array_elements(p_data -> 'nodes') s(node) ON s.node ->> 'id' = e.edge ->> 'source'
    JOIN jsonb_array_elements(p_data -> 'nodes') t(node) ON t.node ->> 'id' = e.edge ->> 'target'
    WHERE s.node ->> 'type' = 'gateway' AND s.node #>> '{data,kind}' = 'eventBased'
      AND NOT (t.node ->> 'type' = 'receive'
               OR (t.node ->> 'type' = 'event' AND t.node #>> '{data,event}' IN ('timer', 'message', 'signal')
                   AND NOT COALESCE((t.node #>> '{data,throw}')::boolean, false) AND t.node #> '{data,attachedTo}' IS NULL))
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('edge %s leaves event-based gateway %s for a node that is no timer, message or signal catch event or receive task',
                             v_bad.id, v_bad.source);
    END IF;

    SELECT n.node ->> 'id' AS id, automation.timer_problem(n.node #> '{data,timer}') AS problem INTO v_bad
    FROM jsonb_array_elements(p_data -> 'nodes') n(node)
    WHERE n.node #>> '{data,event}' = 'timer' AND automation.timer_problem(n.node #> '{data,timer}') IS NOT NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'PW422',
            MESSAGE = format('timer event %s: %s', v_bad.id, v_bad.problem),
            HINT = 'data.timer is {"date": ISO 8601 date-time}, {"duration": ISO 8601 duration such as PT10M}, or {"cycle": "R3/PT10M" or a 5-field cron}.';
    END IF;
END;
$$;

COMMENT ON FUNCTION automation.validate_workflow_scopes(jsonb) IS
    'Refuses (PW422, naming the node or edge) a parentId that is no subprocess, a flow across a sub-process border, an unknown event kind, a boundary event not attached to an activity of its scope, a message/signal/link event without data.name, an event sub-process with flows or without exactly one timer/message/signal/error/escalation start, a process start event other than none/message/signal, an event-based gateway leading elsewhere than to catch events and receive tasks, a malformed timer.';

REVOKE ALL ON FUNCTION automation.validate_workflow_scopes(jsonb) FROM PUBLIC;
-- pure (no table access): validate_workflow_graph, granted to people, runs it as the caller
GRANT EXECUTE ON FUNCTION automation.validate_workflow_scopes(jsonb) TO pgwf_app;
