-- Undo pgwf 0017: tokens get their foreign key to the run back; the edge order column and the
-- router's indexes go (the router of 0016 reads the order from workflow_data).
SET LOCAL ROLE pgwf_owner;

-- tokens whose run is gone (none, while the trigger of 0017 held) cannot keep the key
DELETE FROM automation.workflow_tokens t
WHERE NOT EXISTS (SELECT 1 FROM automation.workflow_instances wi WHERE wi.id = t.instance_id);
ALTER TABLE automation.workflow_tokens ADD CONSTRAINT fk_workflow_tokens_instance FOREIGN KEY (instance_id)
    REFERENCES automation.workflow_instances (id) ON DELETE CASCADE;
COMMENT ON COLUMN automation.workflow_tokens.instance_id IS NULL;

DROP INDEX automation.idx_workflow_edges_incoming;
DROP INDEX automation.idx_workflow_edges_outgoing;
ALTER TABLE automation.workflow_edges DROP COLUMN edge_order;

RESET ROLE;
