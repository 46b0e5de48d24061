-- Grants and row-level security of automation.workflow_instances.
-- A person sees the runs they started and the runs whose approvals they decide
-- (automation.can_see_instance); changes go through the engine's functions only.
GRANT SELECT ON automation.workflow_instances TO pgwf_app;

ALTER TABLE automation.workflow_instances ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation.workflow_instances FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON automation.workflow_instances TO pgwf_owner USING (true) WITH CHECK (true);
CREATE POLICY person_read ON automation.workflow_instances FOR SELECT TO pgwf_app
    USING (automation.can_see_instance(id));
