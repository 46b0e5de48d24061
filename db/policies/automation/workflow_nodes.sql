-- Grants and row-level security of automation.workflow_nodes.
-- Workflow models are shared: every identified person (pgwf_app with app.current_user_id set)
-- reads them; changes go through the engine's SECURITY DEFINER functions only.
GRANT SELECT ON automation.workflow_nodes TO pgwf_app;

ALTER TABLE automation.workflow_nodes ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation.workflow_nodes FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON automation.workflow_nodes TO pgwf_owner USING (true) WITH CHECK (true);
CREATE POLICY person_read ON automation.workflow_nodes FOR SELECT TO pgwf_app
    USING ((SELECT entitlements.current_active_user_id()) IS NOT NULL);
