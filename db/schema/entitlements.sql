-- Schema for who people are: departments, users, workflow roles, API tokens.
-- Read by the task service and the RLS policies of every other schema.
CREATE SCHEMA IF NOT EXISTS entitlements;
COMMENT ON SCHEMA entitlements IS 'pgwf: departments, users, workflow roles and their assignment to users, API tokens';
