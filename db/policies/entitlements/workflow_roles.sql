-- Grants on entitlements.workflow_roles: the directory every active person and report may read
-- (who works where, which roles exist and who holds them); changed by administrators only.
GRANT SELECT ON entitlements.workflow_roles TO pgwf_app, pgwf_reporting;

-- Shared, not private, yet read only by someone the database believes: an active identity (a
-- login with no identity, an unknown or a deactivated user reads nothing), the reporting role,
-- and the owner the engine and the administration functions run as.
ALTER TABLE entitlements.workflow_roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE entitlements.workflow_roles FORCE ROW LEVEL SECURITY;

CREATE POLICY engine_all ON entitlements.workflow_roles TO pgwf_owner USING (true) WITH CHECK (true);
CREATE POLICY person_read ON entitlements.workflow_roles FOR SELECT TO pgwf_app
    USING ((SELECT entitlements.current_active_user_id()) IS NOT NULL);
CREATE POLICY reporting_read ON entitlements.workflow_roles FOR SELECT TO pgwf_reporting USING (true);
COMMENT ON POLICY person_read ON entitlements.workflow_roles IS
    'Every active person reads it (entitlements.current_active_user_id() is set); no identity, an unknown or a deactivated user: no rows.';
COMMENT ON POLICY reporting_read ON entitlements.workflow_roles IS
    'pgwf_reporting reads every row (the reporting views run with the reader''s rights).';
