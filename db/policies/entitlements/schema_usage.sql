-- Lets the group roles reach objects in schema entitlements; what they may do with each object is
-- granted in that object's own file (tables here in db/policies/entitlements/, functions and views in theirs).
GRANT USAGE ON SCHEMA entitlements TO pgwf_app, pgwf_worker, pgwf_reporting;
