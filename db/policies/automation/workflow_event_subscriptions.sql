-- Grants and row-level security of automation.workflow_event_subscriptions.
-- A person sees the rows of the runs they may see (automation.can_see_instance), to tell where a
-- run is; only the engine writes them.
GRANT SELECT ON automation.workflow_event_subscriptions TO pgwf_app;

ALTER TABLE automation.workflow_event_subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation.workflow_event_subscriptions FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON automation.workflow_event_subscriptions TO pgwf_owner USING (true) WITH CHECK (true);
CREATE POLICY person_read ON automation.workflow_event_subscriptions FOR SELECT TO pgwf_app
    USING (automation.can_see_instance(instance_id));
