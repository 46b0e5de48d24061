-- Rewrites the workflow_nodes and workflow_edges rows of one workflow version from its
-- workflow_data, so the rows are exactly the JSON (docs/graph-model.md gives the mapping).
-- Called by save_workflow after validation; not granted to anyone.
CREATE OR REPLACE FUNCTION automation.sync_workflow_graph(p_workflow_id uuid)
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
    DELETE FROM automation.workflow_nodes WHERE workflow_id = p_workflow_id;
    DELETE FROM automation.workflow_edges WHERE workflow_id = p_workflow_id;

    INSERT INTO automation.workflow_nodes
        (workflow_id, node_id, node_type, label, position_x, position_y, configuration, is_enabled, parent_node_id)
    SELECT w.id,
           n.node ->> 'id',
           n.node ->> 'type',
           COALESCE(NULLIF(n.node #>> '{data,label}', ''), n.node ->> 'id'),
           round(COALESCE((n.node #>> '{position,x}')::numeric, 0))::integer,
           round(COALESCE((n.node #>> '{position,y}')::numeric, 0))::integer,
           COALESCE(n.node -> 'data', '{}'::jsonb) - 'label' - 'enabled',
           COALESCE((n.node #>> '{data,enabled}')::boolean, true),
           NULLIF(n.node ->> 'parentId', '')
    FROM automation.workflows w
    CROSS JOIN LATERAL jsonb_array_elements(w.workflow_data -> 'nodes') AS n(node)
    WHERE w.id = p_workflow_id;

    INSERT INTO automation.workflow_edges
        (workflow_id, edge_id, source_node_id, target_node_id, source_handle, target_handle, edge_type,
         conditions, is_enabled, edge_order)
    SELECT w.id,
           e.edge ->> 'id',
           e.edge ->> 'source',
           e.edge ->> 'target',
           e.edge ->> 'sourceHandle',
           e.edge ->> 'targetHandle',
           COALESCE(e.edge ->> 'type', 'smoothstep'),
           CASE WHEN (e.edge #>> '{data,default}')::boolean IS TRUE THEN '{"default": true}'::jsonb
                WHEN jsonb_typeof(e.edge #> '{data,conditions}') = 'array'
                    THEN jsonb_build_object('conditions', e.edge #> '{data,conditions}')
           END,
           COALESCE((e.edge #>> '{data,enabled}')::boolean, true),
           e.ord
    FROM automation.workflows w
    CROSS JOIN LATERAL jsonb_array_elements(COALESCE(w.workflow_data -> 'edges', '[]')) WITH ORDINALITY AS e(edge, ord)
    WHERE w.id = p_workflow_id;
$$;

COMMENT ON FUNCTION automation.sync_workflow_graph(uuid) IS
    'Replaces the node and edge rows of a workflow version with those its workflow_data describes.';

REVOKE ALL ON FUNCTION automation.sync_workflow_graph(uuid) FROM PUBLIC;
