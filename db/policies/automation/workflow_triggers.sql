-- Grants and row-level security of automation.workflow_triggers.
-- Identified persons read trigger settings, never token_hash (no column grant);
-- changes go through the engine's SECURITY DEFINER functions only.
GRANT SELECT (id, workflow_id, trigger_type, trigger_source, configuration, is_active,
              last_triggered, trigger_count, created_at, updated_at)
    ON automation.workflow_triggers TO pgwf_app;

ALTER TABLE automation.workflow_triggers ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation.workflow_triggers FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON automation.workflow_triggers TO pgwf_owner USING (true) WITH CHECK (true);
CREATE POLICY person_read ON automation.workflow_triggers FOR SELECT TO pgwf_app
    USING ((SELECT entitlements.current_active_user_id()) IS NOT NULL);
