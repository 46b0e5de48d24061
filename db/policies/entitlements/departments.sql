-- Grants on entitlements.departments: the directory every application user and report may read
-- (who works where, which roles exist and who holds them); changed by administrators only.
GRANT SELECT ON entitlements.departments TO pgwf_app, pgwf_reporting;
