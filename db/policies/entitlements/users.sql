-- Grants on entitlements.users: the directory every application user and report may read
-- (who works where, which roles exist and who holds them); changed by administrators only.
GRANT SELECT ON entitlements.users TO pgwf_app, pgwf_reporting;
