-- Grants and row-level security of automation.workflows.
-- Workflow models are shared: every identified person (pgwf_app with app.current_user_id set)
-- reads them; changes go through the engine's SECURITY DEFINER functions only.
GRANT SELECT ON automation.workflows TO pgwf_app;
-- the reporting role reads what the reporting views need, not the payload (workflow_data and configuration)
GRANT SELECT (id, name, description, category, version, is_active, is_template, tags, created_by, updated_by, created_at, updated_at, workflow_key) ON automation.workflows TO pgwf_reporting;

ALTER TABLE automation.workflows ENABLE ROW LEVEL SECURITY;
ALTER TABLE automation.workflows FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON automation.workflows TO pgwf_owner USING (true) WITH CHECK (true);
CREATE POLICY person_read ON automation.workflows FOR SELECT TO pgwf_app
    USING ((SELECT entitlements.current_active_user_id()) IS NOT NULL);

-- Reporting tools read every row: the reporting views run with the reader's rights (security_invoker).
CREATE POLICY reporting_read ON automation.workflows
    FOR SELECT
    TO pgwf_reporting
    USING (true);
COMMENT ON POLICY reporting_read ON automation.workflows IS
    'pgwf_reporting reads every row (the reporting views run with the reader''s rights, so reports see all figures while a person sees only theirs).';
