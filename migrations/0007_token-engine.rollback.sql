-- Undo pgwf 0007. Refused (nothing changed) while a version uses a node type, or a run a step
-- type or status, that 0006 does not know, or a run is waiting in a sub-process or on an
-- event. Otherwise the tokens of running runs go back into engine_state.waiting, and drawn
-- models address the start input and step outputs as input.* and steps.* again.
SET LOCAL ROLE pgwf_owner;

DO $rollback$
DECLARE
    v_rows bigint;
BEGIN
    SELECT count(*) INTO v_rows FROM automation.workflow_nodes
    WHERE node_type IN ('subprocess', 'event', 'manual', 'receive') OR parent_node_id IS NOT NULL;
    IF v_rows > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('rollback of 0007: %s workflow nodes are sub-processes, events, manual or receive tasks, or lie inside a sub-process', v_rows),
            HINT = 'Delete the workflow versions that use them first; the engine of 0006 cannot run them.';
    END IF;
    SELECT count(*) INTO v_rows FROM automation.workflow_executions WHERE status = 'cancelled';
    IF v_rows > 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = format('rollback of 0007: %s steps are cancelled, a status 0006 does not have', v_rows);
    END IF;
    SELECT count(*) INTO v_rows FROM automation.workflow_tokens WHERE state = 'scope' OR scope_token_id IS NOT NULL;
    IF v_rows > 0 OR EXISTS (SELECT 1 FROM automation.workflow_event_subscriptions) THEN
        RAISE EXCEPTION USING ERRCODE = 'PW409',
            MESSAGE = 'rollback of 0007: runs are waiting inside sub-processes or on events';
    END IF;
END
$rollback$;

UPDATE automation.workflow_instances wi
SET engine_state = wi.engine_state || jsonb_build_object('waiting', t.waiting, 'seq', t.seq)
FROM (SELECT w.instance_id,
             jsonb_object_agg(w.node_id, jsonb_build_object('edges', w.edges, 'seq', w.first)) AS waiting,
             max(w.first) AS seq
      FROM (SELECT tk.instance_id, tk.node_id, min(tk.id) AS first,
                   jsonb_agg(tk.edge_id ORDER BY tk.id) AS edges
            FROM automation.workflow_tokens tk
            WHERE tk.state IN ('arrived', 'joining')
            GROUP BY tk.instance_id, tk.node_id) w
      GROUP BY w.instance_id) t
WHERE t.instance_id = wi.id;

CREATE FUNCTION pg_temp.old_paths(p jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
    SELECT regexp_replace(
               regexp_replace(p::text, '"field": "\$(input|steps)([."])', '"field": "\1\2', 'g'),
               '\{\{(\s*)\$(input|steps)([.}\s])', '{{\1\2\3', 'g')::jsonb;
$f$;
ALTER TABLE automation.workflows DISABLE TRIGGER USER;
ALTER TABLE automation.workflow_nodes DISABLE TRIGGER USER;
ALTER TABLE automation.workflow_edges DISABLE TRIGGER USER;
UPDATE automation.workflows SET workflow_data = pg_temp.old_paths(workflow_data)
WHERE category IS DISTINCT FROM 'bpmn' AND workflow_data IS NOT NULL
  AND workflow_data IS DISTINCT FROM pg_temp.old_paths(workflow_data);
UPDATE automation.workflow_nodes n SET configuration = pg_temp.old_paths(n.configuration)
FROM automation.workflows w
WHERE w.id = n.workflow_id AND w.category IS DISTINCT FROM 'bpmn' AND n.configuration IS NOT NULL
  AND n.configuration IS DISTINCT FROM pg_temp.old_paths(n.configuration);
UPDATE automation.workflow_edges e SET conditions = pg_temp.old_paths(e.conditions)
FROM automation.workflows w
WHERE w.id = e.workflow_id AND w.category IS DISTINCT FROM 'bpmn' AND e.conditions IS NOT NULL
  AND e.conditions IS DISTINCT FROM pg_temp.old_paths(e.conditions);
ALTER TABLE automation.workflows ENABLE TRIGGER USER;
ALTER TABLE automation.workflow_nodes ENABLE TRIGGER USER;
ALTER TABLE automation.workflow_edges ENABLE TRIGGER USER;

ALTER TABLE automation.workflow_executions DROP CONSTRAINT chk_workflow_execution_status;
ALTER TABLE automation.workflow_executions ADD CONSTRAINT chk_workflow_execution_status
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'skipped', 'waiting_approval'));
COMMENT ON COLUMN automation.workflow_executions.status IS 'pending (waiting for a worker), running (leased, or a human task open), completed, failed, skipped (on a branch the run does not take), waiting_approval.';
ALTER TABLE automation.workflow_executions DROP CONSTRAINT chk_workflow_executions_step_type;
ALTER TABLE automation.workflow_executions ADD CONSTRAINT chk_workflow_executions_step_type CHECK (step_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end'));
ALTER TABLE automation.workflow_nodes DROP CONSTRAINT chk_workflow_nodes_type;
ALTER TABLE automation.workflow_nodes ADD CONSTRAINT chk_workflow_nodes_type CHECK (node_type IN
        ('trigger', 'action', 'condition', 'approval', 'integration', 'notification',
         'task', 'gateway', 'end'));
COMMENT ON COLUMN automation.workflow_nodes.node_type IS 'trigger, action, condition, approval, integration, notification (the spec''s six), task, gateway, end (added for BPMN); docs/graph-model.md says what a visit of each does.';
DROP INDEX automation.idx_workflow_nodes_parent;
ALTER TABLE automation.workflow_nodes DROP COLUMN parent_node_id;

DROP TABLE automation.workflow_event_subscriptions;
DROP TABLE automation.workflow_tokens;
COMMENT ON COLUMN automation.workflow_instances.engine_state IS 'pgwf addition: the executor''s routing state (edge tokens of pending joins, visit count, step limit, pause/cancel log). Written only by the engine.';

RESET ROLE;
