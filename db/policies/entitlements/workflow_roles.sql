-- Grants on entitlements.workflow_roles: the directory every application user and report may read
-- (who works where, which roles exist and who holds them); changed by administrators only.
GRANT SELECT ON entitlements.workflow_roles TO pgwf_app, pgwf_reporting;
