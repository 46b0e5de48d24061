-- Row-level security of automation.workflow_trigger_deliveries: an operations log no person
-- reads through pgwf_app (no grant); only the engine (pgwf_owner) reads and writes it.
ALTER TABLE automation.workflow_trigger_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation.workflow_trigger_deliveries FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON automation.workflow_trigger_deliveries TO pgwf_owner USING (true) WITH CHECK (true);
