-- pgwf 0017: the physical design of the engine's router (docs/architecture.md, "The engine's
-- hot path").
-- depends: 0016_call-activities
--
-- * workflow_edges.edge_order: an edge's place in workflows.workflow_data -> 'edges' (from 1), the
--   order an exclusive gateway tries its flows in; kept by automation.sync_workflow_graph.
--   Filled here for every stored version (deployed ones too: their immutability triggers are off
--   for this one statement; the column only restates what workflow_data says).
-- * idx_workflow_edges_outgoing (workflow_id, source_node_id, edge_order) and
--   idx_workflow_edges_incoming (workflow_id, target_node_id): the router's lookups, which the
--   specification's single-column indexes answer only by scanning every version's node of that id.
-- * workflow_tokens loses its foreign key to workflow_instances: the engine writes a token only for
--   the run whose row it holds locked, and a token inserted and moved in one transaction had the
--   key checked again on every move (8 to 10 lookups of the run a run). A deleted run's tokens go
--   by the trigger trigger_workflow_instances_tokens (db/triggers) instead of ON DELETE CASCADE.

SET LOCAL ROLE pgwf_owner;

ALTER TABLE automation.workflow_edges ADD COLUMN edge_order INTEGER;
COMMENT ON COLUMN automation.workflow_edges.edge_order IS 'pgwf addition: the edge''s place in workflow_data.edges (from 1): the order an exclusive gateway tries its outgoing flows in.';

ALTER TABLE automation.workflow_edges DISABLE TRIGGER USER;
UPDATE automation.workflow_edges e
SET edge_order = x.ord
FROM automation.workflows w
CROSS JOIN LATERAL jsonb_array_elements(COALESCE(w.workflow_data -> 'edges', '[]'::jsonb)) WITH ORDINALITY AS x(edge, ord)
WHERE w.id = e.workflow_id AND x.edge ->> 'id' = e.edge_id;
ALTER TABLE automation.workflow_edges ENABLE TRIGGER USER;

CREATE INDEX idx_workflow_edges_outgoing ON automation.workflow_edges (workflow_id, source_node_id, edge_order);
CREATE INDEX idx_workflow_edges_incoming ON automation.workflow_edges (workflow_id, target_node_id);

ALTER TABLE automation.workflow_tokens DROP CONSTRAINT fk_workflow_tokens_instance;
COMMENT ON COLUMN automation.workflow_tokens.instance_id IS 'The run the token belongs to. No foreign key (migration 0017): the engine writes a token only for the run whose row it holds locked, and trigger_workflow_instances_tokens deletes the tokens of a deleted run.';

RESET ROLE;
